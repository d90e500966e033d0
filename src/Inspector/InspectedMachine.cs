using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Inspection;

/// <summary>What the inspector shows of one machine.</summary>
/// <param name="Node">The node (actor system) it runs in.</param>
/// <param name="Id">The machine id.</param>
/// <param name="Chart">Its chart, drawn with the active states highlighted.</param>
/// <param name="ActiveStates">Dotted paths of the active atomic states.</param>
/// <param name="IsDone">True once a top-level final state was reached.</param>
/// <param name="Context">A copy of its context.</param>
/// <param name="LastEvents">The last events it handled, oldest first.</param>
public sealed record InspectedMachine(
    string Node,
    string Id,
    Statechart Chart,
    IReadOnlyList<string> ActiveStates,
    bool IsDone,
    IReadOnlyDictionary<string, object?> Context,
    IReadOnlyList<MachineStepped> LastEvents);
