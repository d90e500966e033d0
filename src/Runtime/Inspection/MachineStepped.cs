namespace XStateNet.Actors.Inspection;

/// <summary>
/// Published on the actor system's event stream after a machine's step while <see cref="MachineObservation.IsObserved"/>.
/// </summary>
/// <param name="MachineId">The machine.</param>
/// <param name="EventName">
/// What it handled: the event's name, <c>xstate.init</c> for the start, <c>xstate.timer</c> for a delayed
/// transition's timer, <c>error.execution</c> for a failed async action.
/// </param>
/// <param name="ActiveStates">Dotted paths of the active atomic states after the step.</param>
/// <param name="IsDone">True once a top-level final state was reached.</param>
/// <param name="At">When the step ended.</param>
public sealed record MachineStepped(string MachineId, string EventName, IReadOnlyList<string> ActiveStates, bool IsDone, DateTimeOffset At)
{
    /// <summary>The <see cref="EventName"/> of a machine's start.</summary>
    public const string Start = "xstate.init";

    /// <summary>The <see cref="EventName"/> of a step run by a delayed transition's timer.</summary>
    public const string Timer = "xstate.timer";

    internal static string NameOf(object? argument) => argument switch
    {
        MachineEvent e => e.Name,
        Statecharts.StatechartExecutionError => MachineEvents.ErrorExecution,
        TimerDue => Timer,
        _ => Start,
    };
}
