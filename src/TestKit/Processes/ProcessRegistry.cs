using System.Collections.Concurrent;
using XStateNet.Actors.Transport;

namespace XStateNet.Actors.TestKit.Processes;

/// <summary>Every child this test process started, for the checks that none is left.</summary>
internal static class ProcessRegistry
{
    private static readonly ConcurrentDictionary<int, byte> Pids = new();

    public static void Started(int pid) => Pids.TryAdd(pid, 0);

    /// <summary>Those of <paramref name="among"/> (default: every child started) that still run.</summary>
    public static IReadOnlyList<int> StillRunning(IEnumerable<int>? among = null) =>
        (among ?? Pids.Keys).Where(ProcessLiveness.IsRunning).ToList();
}
