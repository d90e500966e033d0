namespace XStateNet.Actors.Statecharts;

/// <summary>
/// A scheduler whose time moves only when told to: <see cref="Advance(TimeSpan)"/> runs every callback that falls due,
/// in due-time order (ties in scheduling order), including ones scheduled by callbacks within the window.
/// For tests of delayed transitions without sleeping. Not thread-safe: drive it from one thread.
/// </summary>
public sealed class VirtualClock : IStatechartScheduler
{
    private readonly PriorityQueue<Entry, (TimeSpan Due, long Sequence)> _pending = new();
    private long _sequence;

    /// <summary>How much virtual time has passed.</summary>
    public TimeSpan Now { get; private set; }

    /// <summary>How many scheduled callbacks have neither run nor been cancelled.</summary>
    public int PendingCount => _pending.UnorderedItems.Count(item => !item.Element.Cancelled);

    /// <inheritdoc />
    public IDisposable Schedule(TimeSpan delay, Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        var entry = new Entry(callback);
        _pending.Enqueue(entry, (Now + delay, _sequence++));
        return entry;
    }

    /// <summary>Moves time forward, running what falls due on the way.</summary>
    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "time cannot go backwards");
        var until = Now + by;
        while (_pending.TryPeek(out var entry, out var key) && key.Due <= until)
        {
            _pending.Dequeue();
            if (entry.Cancelled) continue;
            Now = key.Due;
            entry.Cancelled = true;
            entry.Callback();
        }
        Now = until;
    }

    /// <summary>Moves time forward by a number of milliseconds.</summary>
    public void Advance(double milliseconds) => Advance(TimeSpan.FromMilliseconds(milliseconds));

    private sealed class Entry(Action callback) : IDisposable
    {
        public Action Callback { get; } = callback;
        public bool Cancelled { get; set; }
        public void Dispose() => Cancelled = true;
    }
}
