// Shared-memory ring benchmark, no actors: a parent process writes 64-byte messages into a segment, a child process
// (this program started with --child) reads them. Prints one-way throughput and round-trip latency.
//   dotnet run -c Release --project bench/SharedMemory [-- --messages 20000000 --round-trips 200000]
using System.CommandLine;
using System.Diagnostics;
using XStateNet.Actors.Bench.SharedMemory;

// System.CommandLine, like the repository's other programs. The child's "--child <parent pid> <descriptor>" is this
// program's own hidden option.
var child = new Option<int[]>("--child") { Hidden = true, Arity = new ArgumentArity(2, 2), AllowMultipleArgumentsPerToken = true, Description = "Child: the parent's pid and the segment's descriptor" };
var messages = new Option<int>("--messages") { Description = "Messages of the one-way run", DefaultValueFactory = _ => 20_000_000 };
var roundTrips = new Option<int>("--round-trips") { Description = "Round trips of the latency run", DefaultValueFactory = _ => 200_000 };
var root = new RootCommand("Shared-memory ring benchmark, no actors: one-way throughput and round-trip latency between two processes.")
{
    child, messages, roundTrips,
};
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors) Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/SharedMemory [-- --messages 20000000 --round-trips 200000]");
    return 2;
}
if (parse.GetValue(child) is [var parentPid, var descriptor]) return RingPeer.Run(parentPid, descriptor);

using var bench = RingBench.Start(parse.GetValue(messages), parse.GetValue(roundTrips));
bench.Run();
return 0;

namespace XStateNet.Actors.Bench.SharedMemory
{
    internal static class Launch
    {
        /// <summary>Starts this same program as the child, whether run by its apphost or by 'dotnet'.</summary>
        /// <param name="segmentDescriptor">The parent's descriptor of the segment (the child opens it through /proc).</param>
        public static Process Child(int segmentDescriptor)
        {
            var self = Environment.ProcessPath!;
            var info = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardInput = true };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet") info.ArgumentList.Add(typeof(Launch).Assembly.Location);
            info.ArgumentList.Add("--child");
            info.ArgumentList.Add(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            info.ArgumentList.Add(segmentDescriptor.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return Process.Start(info)!;
        }
    }
}
