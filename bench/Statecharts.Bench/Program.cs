using BenchmarkDotNet.Running;
using XStateNet.Actors.Bench.Statecharts;

// Usage:
//   dotnet run -c Release --project bench/Statecharts.Bench                      quick Stopwatch table
//   dotnet run -c Release --project bench/Statecharts.Bench -- --quick           the same
//   dotnet run -c Release --project bench/Statecharts.Bench -- --bdn [args...]   BenchmarkDotNet; args go to
//                                                                                its switcher (all benchmarks when none)

// Before any number is taken: an engine that does less work than its twin would look faster for it.
EquivalenceCheck.VerifyAll(Console.Out);

switch (args)
{
    case [] or ["--quick"]:
        QuickRunner.Run(Console.Out);
        return 0;
    case ["--bdn", .. var switcherArgs]:
        // With no filter the switcher would ask on the console which benchmarks to run; nobody is there to answer.
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly)
            .Run(switcherArgs.Length > 0 ? switcherArgs : ["--filter", "*"], BenchmarkConfig.Create());
        return 0;
    default:
        Console.Error.WriteLine("usage: [--quick] | --bdn [BenchmarkDotNet arguments...]");
        return 2;
}
