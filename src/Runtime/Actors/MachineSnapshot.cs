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
    IReadOnlyDictionary<string, object?> Context);
