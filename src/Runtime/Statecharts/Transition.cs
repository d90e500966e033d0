namespace XStateNet.Actors.Statecharts;

/// <summary>A compiled transition: indices into the chart's tables, nothing to look up by name at run time.</summary>
internal sealed class Transition
{
    public required int Source { get; init; }
    /// <summary>Target state indices; empty for a targetless transition (actions only, no exit or entry).</summary>
    public required int[] Targets { get; init; }
    /// <summary>SCXML <c>type="internal"</c>: a compound source is not exited when every target is below it.</summary>
    public required bool IsInternal { get; init; }
    public required int[] Actions { get; init; }
    /// <summary>Index of the guard name, or -1.</summary>
    public required int Guard { get; init; }
    public required string JsonPath { get; init; }
    /// <summary>True when a target is a history state, so the domain depends on what was remembered.</summary>
    public required bool TargetsHistory { get; init; }
    /// <summary>The transition domain when it does not depend on history (-1 for targetless ones).</summary>
    public int StaticDomain { get; set; } = -1;

    /// <summary>
    /// What this transition enters when taken alone, in document order, once first computed; null until then,
    /// and forever when the set depends on history.
    /// </summary>
    public int[]? CachedEntrySet { get; set; }

    public bool IsTargetless => Targets.Length == 0;
}

/// <summary>An <c>after</c> transition's timer: entering the state starts it, leaving cancels it.</summary>
internal sealed class DelayedTransition
{
    public required int Slot { get; init; }
    public required int EventId { get; init; }
    /// <summary>The fixed delay, when the key was a number of milliseconds.</summary>
    public TimeSpan FixedDelay { get; init; }
    /// <summary>Index of the named delay, or -1 when <see cref="FixedDelay"/> applies.</summary>
    public int DelayName { get; init; } = -1;
}
