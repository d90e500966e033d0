using System.Collections.Concurrent;

namespace XStateNet.Actors.MultiProcess.Tests.Harness;

/// <summary>Every run of this test process, so the final check looks only at names this process chose.</summary>
public static class RunRegistry
{
    private static readonly ConcurrentQueue<RunId> Runs = new();

    /// <summary>Records a run.</summary>
    public static void Started(RunId run) => Runs.Enqueue(run);

    /// <summary>Files and pipes of any of this process's runs under the temporary directory or /dev/shm.</summary>
    public static IReadOnlyList<string> LeftoverFiles()
    {
        var found = new List<string>();
        foreach (var run in Runs)
        {
            found.AddRange(RunFiles.EntriesStartingWith(Path.GetTempPath(), run.Prefix, "CoreFxPipe_" + run.Prefix));
            found.AddRange(RunFiles.EntriesStartingWith("/dev/shm", run.Prefix));
        }
        return found;
    }
}
