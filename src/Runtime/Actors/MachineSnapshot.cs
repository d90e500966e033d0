namespace XStateNet.Actors;

/// <summary>A machine's state at one moment, as answered to <see cref="GetMachineSnapshot"/>.</summary>
/// <param name="MachineId">The machine's id.</param>
/// <param name="ActiveStates">Dotted paths of the active atomic states, ordinal order, as the engine reports them.</param>
/// <param name="IsDone">True once a top-level final state was reached.</param>
/// <param name="Context">A copy of the machine's context; changing it changes nothing in the machine.</param>
public sealed record MachineSnapshot(
    string MachineId,
    IReadOnlyList<string> ActiveStates,
    bool IsDone,
    IReadOnlyDictionary<string, object?> Context)
{
    /// <summary>
    /// How many steps the machine has taken (its start and every event, timer or failed async action it handled):
    /// two snapshots with the same count show the same step, so a tool that polls knows how many it missed.
    /// </summary>
    public long Steps { get; init; }

    /// <summary>
    /// What its last step handled (an event's name, <c>xstate.init</c>, <c>xstate.timer</c>, <c>error.execution</c>;
    /// see <see cref="Inspection.MachineStepped.EventName"/>), or null before its first step.
    /// </summary>
    public string? LastEvent { get; init; }
}
