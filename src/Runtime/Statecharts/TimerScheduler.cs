namespace XStateNet.Actors.Statecharts;

/// <summary>
/// The default scheduler: real time, through <see cref="TimeProvider"/> timers. Callbacks run on the thread pool;
/// the interpreter serializes them with everything else it does.
/// </summary>
public sealed class TimerScheduler : IStatechartScheduler
{
    private readonly TimeProvider _time;

    /// <summary>A scheduler on the system clock.</summary>
    public static TimerScheduler System { get; } = new(TimeProvider.System);

    /// <summary>A scheduler on the given time provider.</summary>
    public TimerScheduler(TimeProvider time) => _time = time;

    /// <inheritdoc />
    public TimeSpan Now => _time.GetElapsedTime(0);

    /// <inheritdoc />
    public IDisposable Schedule(TimeSpan delay, Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return _time.CreateTimer(static state => ((Action)state!)(), callback, delay, Timeout.InfiniteTimeSpan);
    }
}
