using System.Diagnostics;

namespace XStateNet.Actors.Transport;

/// <summary>
/// Notices when this whole process stopped running for a while (SIGSTOP, a frozen VM, a very long stop-the-world
/// GC): a background thread wakes every <see cref="TickInterval"/>, and a gap much longer than that between two
/// wake-ups is a pause. The clock is the monotonic one, which keeps counting while the process is stopped.
/// </summary>
/// <remarks>
/// After a long pause this node's own judgements are wrong in a known way: every peer's last heartbeat looks as old as
/// the pause, so the failure detectors would declare live peers dead (see <see cref="InPauseShadow"/>). And the peers
/// have very likely declared this node dead and quarantined it, which only a restart with a fresh uid undoes; the
/// runtime's recovery listens to <see cref="Resumed"/> for that.
/// </remarks>
public static class ProcessPauses
{
    /// <summary>How often the watching thread wakes.</summary>
    public static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Gaps shorter than this are scheduling noise, not pauses, and are not reported.</summary>
    public static readonly TimeSpan ReportedAbove = TimeSpan.FromMilliseconds(1000);

    private static readonly object Gate = new();
    private static readonly PauseClock Clock = new(Stopwatch.GetTimestamp());
    private static Thread? _watcher;
    private static Action<TimeSpan>? _resumed;

    /// <summary>
    /// Raised on the watching thread, right after a pause longer than <see cref="ReportedAbove"/> ended, with its
    /// length. Handlers must return quickly (tell an actor, set a flag).
    /// </summary>
    public static event Action<TimeSpan> Resumed
    {
        add
        {
            EnsureWatching();
            lock (Gate) _resumed += value;
        }
        remove
        {
            lock (Gate) _resumed -= value;
        }
    }

    /// <summary>
    /// True while this process is in the shadow of a pause of at least <paramref name="longerThan"/>: the watching
    /// thread has not run for that long (the process is just resuming, whichever thread runs first), or such a pause
    /// ended less than <paramref name="shadow"/> ago. Heartbeat ages measured now include the pause.
    /// </summary>
    public static bool InPauseShadow(TimeSpan longerThan, TimeSpan shadow)
    {
        EnsureWatching();
        return Clock.InPauseShadow(Stopwatch.GetTimestamp(), longerThan, shadow);
    }

    /// <summary>Starts the watching thread if it is not running yet (it is a background thread: it never keeps the process alive).</summary>
    public static void EnsureWatching()
    {
        if (Volatile.Read(ref _watcher) is not null) return;
        lock (Gate)
        {
            if (_watcher is not null) return;
            Clock.Tick(Stopwatch.GetTimestamp());
            _watcher = new Thread(Watch) { IsBackground = true, Name = "xstatenet-pause-watch" };
            _watcher.Start();
        }
    }

    private static void Watch()
    {
        while (true)
        {
            Thread.Sleep(TickInterval);
            var gap = Clock.Tick(Stopwatch.GetTimestamp());
            if (gap <= ReportedAbove) continue;

            Action<TimeSpan>? handlers;
            lock (Gate) handlers = _resumed;
            if (handlers is null) continue;
            foreach (var handler in handlers.GetInvocationList())
            {
                try
                {
                    ((Action<TimeSpan>)handler)(gap);
                }
                catch
                {
                    // One broken listener must not stop the watch for the others.
                }
            }
        }
    }
}

/// <summary>
/// The arithmetic of <see cref="ProcessPauses"/> on given timestamps (<see cref="Stopwatch.GetTimestamp"/> units), so it
/// can be tested without stopping the process.
/// </summary>
internal sealed class PauseClock(long start)
{
    private long _lastTick = start;
    private long _lastPauseEnd;
    private long _lastPauseTicks;

    /// <summary>Records a wake-up of the watching thread at <paramref name="now"/>; returns the gap since the previous one.</summary>
    public TimeSpan Tick(long now)
    {
        var gap = Stopwatch.GetElapsedTime(Volatile.Read(ref _lastTick), now);
        if (gap > ProcessPauses.ReportedAbove)
        {
            Volatile.Write(ref _lastPauseTicks, gap.Ticks);
            Volatile.Write(ref _lastPauseEnd, now);
        }
        Volatile.Write(ref _lastTick, now);
        return gap;
    }

    /// <summary>See <see cref="ProcessPauses.InPauseShadow"/>.</summary>
    public bool InPauseShadow(long now, TimeSpan longerThan, TimeSpan shadow)
    {
        if (Stopwatch.GetElapsedTime(Volatile.Read(ref _lastTick), now) > longerThan) return true;
        var end = Volatile.Read(ref _lastPauseEnd);
        return end != 0
               && Volatile.Read(ref _lastPauseTicks) > longerThan.Ticks
               && Stopwatch.GetElapsedTime(end, now) < shadow;
    }
}
