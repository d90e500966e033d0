using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Diagrams;

/// <summary>
/// One transition as a diagram draws it: from a state to its targets (none for a targetless transition, which is
/// written inside its state instead of as an arrow), with XState's usual label (<c>GO [canGo]</c>, <c>after 500ms</c>).
/// </summary>
internal sealed record DiagramEdge(StateNode Source, IReadOnlyList<StateNode> Targets, string Label)
{
    public bool IsTargetless => Targets.Count == 0;
}
