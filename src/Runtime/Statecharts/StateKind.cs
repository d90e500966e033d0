namespace XStateNet.Actors.Statecharts;

/// <summary>The kind of a state node, as XState's <c>type</c> key names it.</summary>
public enum StateKind
{
    /// <summary>A state with no child states.</summary>
    Atomic,
    /// <summary>A state with child states, exactly one of which is active at a time.</summary>
    Compound,
    /// <summary>A state whose child states (regions) are all active at once.</summary>
    Parallel,
    /// <summary>A final state: entering it completes its parent.</summary>
    Final,
    /// <summary>A pseudo-state that re-enters the configuration its parent had when last exited.</summary>
    History,
}

/// <summary>How much of its parent's configuration a history state remembers.</summary>
public enum HistoryDepth
{
    /// <summary>Not a history state.</summary>
    None,
    /// <summary>Only the parent's active children.</summary>
    Shallow,
    /// <summary>The parent's active atomic descendants.</summary>
    Deep,
}
