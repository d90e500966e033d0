namespace XStateNet.Actors.Bench.CrossProcess.Soak;

/// <summary>
/// What one receiver saw from one sender: sequence numbers in order, gaps (kept until filled), late arrivals that
/// filled a gap (out of order) and repeats (duplicates).
/// </summary>
internal sealed class PairCounts
{
    private readonly HashSet<long> _missing = [];
    private long _next = 1;

    public long Received { get; private set; }

    public long Duplicates { get; private set; }

    public long OutOfOrder { get; private set; }

    public void Add(long sequence)
    {
        if (sequence == _next)
        {
            Received++;
            _next++;
        }
        else if (sequence > _next)
        {
            for (var gap = _next; gap < sequence; gap++) _missing.Add(gap);
            Received++;
            _next = sequence + 1;
        }
        else if (_missing.Remove(sequence))
        {
            Received++;
            OutOfOrder++;
        }
        else
        {
            Duplicates++;
        }
    }
}
