using System.Diagnostics;

namespace XStateNet.Actors.Bench.Statecharts;

/// <summary>
/// A plain Stopwatch benchmark that finishes in seconds: warm each implementation up, time a few rounds of
/// a fixed number of events, and print throughput, allocation per transition and the engine's speed as a
/// fraction of the hand-written machine's. BenchmarkDotNet (the bdn switch) gives the careful numbers;
/// this gives a number worth looking at before it has finished building its first project.
/// </summary>
internal static class QuickRunner
{
    private const int Rounds = 5;

    // Warming up in small batches calls Run often enough for the tiered JIT to recompile it (and what it
    // calls) with full optimization before timing starts, instead of timing an on-stack-replaced loop.
    private const int WarmupBatch = 10_000;
    private static readonly TimeSpan WarmupTime = TimeSpan.FromMilliseconds(600);

    /// <summary>The issue's bar for the flat machine.</summary>
    private const double FlatGoalTransitionsPerSecond = 5_000_000;

    public static void Run(TextWriter output)
    {
#if DEBUG
        output.WriteLine("warning: a Debug build; these numbers mean little. Run with -c Release.");
#endif
        output.WriteLine($"quick mode: {Rounds} timed rounds per implementation, median reported; {Environment.ProcessorCount} cores, {Environment.Version}");
        output.WriteLine();

        var results = new List<(Measurement HandWritten, Measurement Engine)>();
        foreach (var scenario in Scenario.All)
        {
            var handWritten = Measure(scenario, "hand-written", scenario.CreateHandWritten());
            var engine = Measure(scenario, "engine", scenario.CreateEngine());
            results.Add((handWritten, engine));
        }

        PrintTable(output, results);
        PrintFlatGoal(output, results[0].Engine);
    }

    private static Measurement Measure(Scenario scenario, string implementation, ITransitionWorkload workload)
    {
        WarmUp(workload);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var events = scenario.EventsPerRound;
        var eventRates = new double[Rounds];
        var transitionRates = new double[Rounds];
        var transitionsAtStart = workload.TransitionsTaken;
        var allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < Rounds; round++)
        {
            var transitionsBefore = workload.TransitionsTaken;
            var started = Stopwatch.GetTimestamp();
            workload.Run(events);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            eventRates[round] = events / seconds;
            transitionRates[round] = (workload.TransitionsTaken - transitionsBefore) / seconds;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedAtStart;
        var transitions = workload.TransitionsTaken - transitionsAtStart;

        return new Measurement(scenario.Name, implementation, Median(eventRates), Median(transitionRates), (double)allocated / transitions);
    }

    private static void WarmUp(ITransitionWorkload workload)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < WarmupTime) workload.Run(WarmupBatch);
    }

    /// <summary>The median, not the mean or the best: one round slowed by a noisy neighbour or a lucky one should not set the figure.</summary>
    private static double Median(double[] values)
    {
        Array.Sort(values);
        var middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static void PrintTable(TextWriter output, List<(Measurement HandWritten, Measurement Engine)> results)
    {
        const string format = "| {0,-16} | {1,-12} | {2,15} | {3,15} | {4,10} | {5,12} | {6,-22} |";
        output.WriteLine(string.Format(format, "scenario", "machine", "events/s", "transitions/s", "ns/trans.", "B/transition", "engine / hand-written"));
        output.WriteLine(string.Format(format, new string('-', 16), new string('-', 12), new string('-', 15), new string('-', 15),
            new string('-', 10), new string('-', 12), new string('-', 22)));
        foreach (var (handWritten, engine) in results)
        {
            var ratio = engine.TransitionsPerSecond / handWritten.TransitionsPerSecond;
            PrintRow(output, format, handWritten, "baseline");
            PrintRow(output, format, engine, $"{ratio:0.0000} ({1 / ratio:0.0}x slower)");
        }
        output.WriteLine();
    }

    private static void PrintRow(TextWriter output, string format, Measurement m, string ratio) =>
        output.WriteLine(string.Format(format, m.Scenario, m.Implementation, $"{m.EventsPerSecond:N0}", $"{m.TransitionsPerSecond:N0}",
            $"{m.NanosecondsPerTransition:0.0}", $"{m.AllocatedBytesPerTransition:0.###}", ratio));

    private static void PrintFlatGoal(TextWriter output, Measurement flatEngine)
    {
        var fastEnough = flatEngine.TransitionsPerSecond >= FlatGoalTransitionsPerSecond;
        var allocationFree = flatEngine.AllocatedBytesPerTransition == 0;
        output.WriteLine($"flat-machine goal (>= {FlatGoalTransitionsPerSecond:N0} transitions/s, 0 B per transition): " +
            $"{flatEngine.TransitionsPerSecond:N0}/s {(fastEnough ? "met" : "NOT met")}, " +
            $"{flatEngine.AllocatedBytesPerTransition:0.###} B {(allocationFree ? "met" : "NOT met")}");
    }
}
