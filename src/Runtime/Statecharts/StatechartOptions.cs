namespace XStateNet.Actors.Statecharts;

/// <summary>Optional settings for a <see cref="StatechartInterpreter"/>.</summary>
public sealed class StatechartOptions
{
    /// <summary>Where delayed transitions get their time; <see cref="TimerScheduler.System"/> when null.</summary>
    public IStatechartScheduler? Scheduler { get; init; }

    /// <summary>Values of the named delays used by <c>after</c> keys that are not numbers.</summary>
    public IReadOnlyDictionary<string, TimeSpan>? Delays { get; init; }

    /// <summary>
    /// How many eventless (<c>always</c>) microsteps may follow one another before the interpreter gives up with a
    /// <see cref="StatechartRuntimeException"/> instead of spinning forever.
    /// </summary>
    public int MaxEventlessMicrosteps { get; init; } = 1000;

    /// <summary>
    /// True (the default): the interpreter takes a lock, so events, timers and queries may come from any thread.
    /// False: the host guarantees one call at a time, on one logical thread (an actor does), and the lock is
    /// skipped; its scheduler must then call back on that same thread too.
    /// </summary>
    public bool Synchronized { get; init; } = true;

    /// <summary>Told about every action or guard that throws, besides the <c>error.execution</c> event raised in the machine.</summary>
    public Action<StatechartExecutionError>? OnExecutionError { get; init; }
}
