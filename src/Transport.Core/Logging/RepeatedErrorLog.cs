using System.Collections.Concurrent;

namespace XStateNet.Actors.Transport;

/// <summary>
/// Keeps a burst of the same complaint from flooding the log: for each kind of message, at most
/// <see cref="Burst"/> lines per <see cref="Window"/>; the rest are counted and the count is told with the next line
/// that is written.
/// </summary>
/// <remarks>
/// A peer that connects and closes 5,000 times must not write 5,000 error lines; an operator still learns that it
/// happened, and how often.
/// </remarks>
internal sealed class RepeatedErrorLog
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Func<long> _clockMs;

    public RepeatedErrorLog(int burst = 5, TimeSpan? window = null, Func<long>? clockMs = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        Burst = burst;
        Window = window ?? TimeSpan.FromSeconds(10);
        _clockMs = clockMs ?? (static () => Environment.TickCount64);
    }

    /// <summary>Lines of one kind written per window.</summary>
    public int Burst { get; }

    /// <summary>The window.</summary>
    public TimeSpan Window { get; }

    /// <summary>
    /// Whether a message of <paramref name="kind"/> should be written now. When it should, <paramref name="suppressed"/>
    /// is the number of messages of that kind left out since the last one written (to be told in that line).
    /// </summary>
    public bool ShouldWrite(string kind, out int suppressed)
    {
        var bucket = _buckets.GetOrAdd(kind, static _ => new Bucket());
        var now = _clockMs();
        lock (bucket)
        {
            if (now - bucket.WindowStartMs >= (long)Window.TotalMilliseconds)
            {
                bucket.WindowStartMs = now;
                bucket.Written = 0;
            }

            if (bucket.Written < Burst)
            {
                bucket.Written++;
                suppressed = bucket.Suppressed;
                bucket.Suppressed = 0;
                return true;
            }

            bucket.Suppressed++;
            suppressed = 0;
            return false;
        }
    }

    /// <summary>" (N more like it were not logged)" when <paramref name="suppressed"/> is positive, else "".</summary>
    public static string SuppressedNote(int suppressed) =>
        suppressed > 0 ? $" ({suppressed} more like it in the last moments were not logged)" : "";

    private sealed class Bucket
    {
        public long WindowStartMs = long.MinValue / 2;
        public int Written;
        public int Suppressed;
    }
}
