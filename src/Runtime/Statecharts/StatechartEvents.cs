namespace XStateNet.Actors.Statecharts;

/// <summary>Names of the events the interpreter raises by itself.</summary>
public static class StatechartEvents
{
    /// <summary>Raised when an action or guard throws (SCXML's name); its data is a <see cref="StatechartExecutionError"/>.</summary>
    public const string ErrorExecution = "error.execution";

    /// <summary>Prefix of the event raised when a compound or parallel state completes: <c>done.state.&lt;id&gt;</c>.</summary>
    public const string DoneStatePrefix = "done.state.";

    /// <summary>The event that matches any event in an <c>on</c> block.</summary>
    public const string Wildcard = "*";

    /// <summary>The name of the event a delayed (<c>after</c>) transition waits for, as XState v5 names it.</summary>
    public static string After(string delayKey, string stateId) => $"xstate.after.{delayKey}.{stateId}";

    /// <summary>The name of the event raised when the state with id <paramref name="stateId"/> completes.</summary>
    public static string DoneState(string stateId) => DoneStatePrefix + stateId;
}
