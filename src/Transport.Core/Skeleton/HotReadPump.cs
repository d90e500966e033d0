using System.Diagnostics;

namespace XStateNet.Actors.Transport;

/// <summary>
/// Keeps reading a connection from Akka's thread pool for a short while after each message, so a quick reply is
/// picked up, and handled, on a thread that is already awake.
/// </summary>
/// <remarks>
/// <para>
/// Each connection has a thread of its own that sleeps in the kernel while the connection is quiet. When it wakes with a
/// message, Akka's actors that handle it run on a thread-pool worker, which must be woken too: two thread wake-ups per
/// message, each costing tens of microseconds on a busy host, and together most of a small message's round trip.
/// </para>
/// <para>
/// After the connection's thread has delivered messages it calls <see cref="RunHot"/>: the reading moves to a pool work
/// item that polls without waiting. When that finds a message, Akka's actors for it are queued on the same worker,
/// and the work item requeues itself behind them, so the worker runs them at once, with no wake-up on this side.
/// After <c>window</c> without a message the reading goes back to the connection's thread, which sleeps again: an idle
/// connection uses no CPU. While hot, a connection keeps one pool worker busy polling.
/// </para>
/// <para>
/// Only one of the two ever reads: a state word says whether the pump is idle, queued or running, and the connection's
/// thread waits in <see cref="RunHot"/> until the pump hands back. If the pool is starved and the pump has not started
/// within <see cref="TakeBackAfter"/>, the connection's thread takes the reading back itself (the late work item then
/// finds the pump idle and does nothing), so neither reading nor closing depends on the pool's health.
/// </para>
/// </remarks>
internal sealed class HotReadPump : IThreadPoolWorkItem
{
    // A poll that finds nothing keeps the worker this long before requeueing, so other pool work takes its turn.
    private static readonly long SliceTicks = Stopwatch.Frequency / 50_000;

    /// <summary>How long the connection's thread lets a queued pump wait for a pool thread before it reads again itself.</summary>
    public static readonly TimeSpan TakeBackAfter = TimeSpan.FromMilliseconds(50);

    private const int Idle = 0;
    private const int Queued = 1;
    private const int Running = 2;

    private readonly IPollableReader _reader;
    private readonly long _windowTicks;
    private readonly Action<IThreadPoolWorkItem> _schedule;
    private readonly TimeSpan _takeBackAfter;
    private readonly ManualResetEventSlim _handedBack = new(false);
    private int _state;
    private long _lastMessage;
    private Exception? _failure;

    /// <summary>Creates a pump for <paramref name="reader"/> that stays hot for <paramref name="window"/> after each message.</summary>
    /// <param name="reader">The connection's read side.</param>
    /// <param name="window">How long to keep polling after the last message; zero or less disables the pump.</param>
    public HotReadPump(IPollableReader reader, TimeSpan window)
        : this(reader, window, static pump => ThreadPool.UnsafeQueueUserWorkItem(pump, preferLocal: false), TakeBackAfter)
    {
    }

    /// <summary>A pump whose work items go to <paramref name="schedule"/>, taken back after <paramref name="takeBackAfter"/> (for tests).</summary>
    internal HotReadPump(IPollableReader reader, TimeSpan window, Action<IThreadPoolWorkItem> schedule, TimeSpan takeBackAfter)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
        _schedule = schedule;
        _takeBackAfter = takeBackAfter;
        _windowTicks = window <= TimeSpan.Zero ? 0 : (long)(window.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Whether <see cref="RunHot"/> does anything (a positive window).</summary>
    public bool Enabled => _windowTicks > 0;

    /// <summary>
    /// Called by the connection's own thread right after it delivered messages: polls from the thread pool until
    /// <c>window</c> passes without a message or the reader asks to hand back, then returns. Rethrows what reading
    /// threw. Returns at once when the pump is off or the reader already asks to hand back.
    /// </summary>
    public void RunHot()
    {
        if (!Enabled || _reader.HandBack) return;
        _lastMessage = Stopwatch.GetTimestamp();
        _handedBack.Reset();
        Queue();
        while (!_handedBack.Wait(_takeBackAfter))
        {
            if (Interlocked.CompareExchange(ref _state, Idle, Queued) == Queued) return;
        }

        if (Interlocked.Exchange(ref _failure, null) is { } failure)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }

    /// <inheritdoc />
    void IThreadPoolWorkItem.Execute()
    {
        // Not queued any more: the connection's thread took the reading back (or another run of this item is on it).
        if (Interlocked.CompareExchange(ref _state, Running, Queued) != Queued) return;
        try
        {
            var sliceEnd = Stopwatch.GetTimestamp() + SliceTicks;
            while (true)
            {
                var delivered = _reader.ReadAvailable();
                var now = Stopwatch.GetTimestamp();
                if (delivered > 0)
                {
                    // Requeue behind the actors just scheduled on this worker (they run first: they are local).
                    _lastMessage = now;
                    Queue();
                    return;
                }

                if (_reader.HandBack || now - _lastMessage >= _windowTicks)
                {
                    HandBack();
                    return;
                }

                if (now >= sliceEnd)
                {
                    Queue();
                    return;
                }

                Thread.SpinWait(1);
            }
        }
        catch (Exception e)
        {
            _failure = e;
            HandBack();
        }
    }

    private void Queue()
    {
        Volatile.Write(ref _state, Queued);
        _schedule(this);
    }

    private void HandBack()
    {
        Volatile.Write(ref _state, Idle);
        _handedBack.Set();
    }
}
