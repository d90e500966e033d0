using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors;

/// <summary>A read-only view of a machine's current state, for actions and guards.</summary>
public sealed class MachineStateView
{
    private readonly StatechartInterpreter _interpreter;

    internal MachineStateView(StatechartInterpreter interpreter) => _interpreter = interpreter;

    /// <summary>Dotted paths of the active atomic states, ordinal order.</summary>
    public IReadOnlyList<string> ActiveStates => _interpreter.ActiveStates;

    /// <summary>True when the state at the dotted path is active.</summary>
    public bool Matches(string path) => _interpreter.Matches(path);

    /// <summary>True once a top-level final state was reached.</summary>
    public bool IsDone => _interpreter.IsDone;
}
