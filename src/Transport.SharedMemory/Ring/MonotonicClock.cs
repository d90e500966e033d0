using System.Diagnostics;

namespace XStateNet.Actors.Transport.SharedMemory.Ring;

/// <summary>
/// Milliseconds on the host's monotonic clock (CLOCK_MONOTONIC on Linux): the same timeline in every process, so
/// heartbeats written by one process can be aged by another; wall-clock jumps do not move it.
/// </summary>
internal static class MonotonicClock
{
    private static readonly long TicksPerMs = Stopwatch.Frequency / 1000;

    public static long NowMs => Stopwatch.GetTimestamp() / TicksPerMs;
}
