using System.Collections.Concurrent;
using XStateNet.Actors.Transport;

namespace XStateNet.Actors.MultiProcess.Tests.Harness;

/// <summary>Every child process this test run started, for the final check that none is left.</summary>
public static class ProcessRegistry
{
    private static readonly ConcurrentDictionary<int, byte> Pids = new();

    /// <summary>Records a started child.</summary>
    public static void Started(int pid) => Pids.TryAdd(pid, 0);

    /// <summary>The children started by this run that still run.</summary>
    public static IReadOnlyList<int> StillRunning(IEnumerable<int>? among = null) =>
        (among ?? Pids.Keys).Where(ProcessLiveness.IsRunning).ToList();
}
