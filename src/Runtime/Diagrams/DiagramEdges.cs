using System.Globalization;
using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Diagrams;

/// <summary>
/// Reads a compiled chart's transitions back into labelled edges. The compiler keeps transitions by event id for
/// the interpreter; here they are turned into what a reader of the chart wrote: the event, <c>after …</c> for a
/// delayed transition, <c>onDone</c>, <c>always</c>, with the guard in brackets. A history state's default
/// target is an unlabelled edge, as in UML.
/// </summary>
internal static class DiagramEdges
{
    public const string Always = "always";
    public const string OnDone = "onDone";

    public static IReadOnlyList<DiagramEdge> Of(Statechart chart)
    {
        var nodes = chart.Nodes;
        var edges = new List<DiagramEdge>();
        foreach (var node in nodes)
        {
            if (node.Kind == StateKind.History)
            {
                if (node.HistoryDefaultTargets.Length > 0)
                    edges.Add(new DiagramEdge(node, node.HistoryDefaultTargets.Select(t => nodes[t]).ToArray(), ""));
                continue;
            }
            foreach (var (eventId, candidates) in node.Events.ExactEvents())
            {
                var eventLabel = EventLabel(chart, node, eventId);
                foreach (var transition in candidates) edges.Add(Edge(chart, transition, eventLabel));
            }
            foreach (var wildcard in node.Events.Wildcards)
            {
                var descriptor = wildcard.Prefix.Length == 0 ? StatechartEvents.Wildcard : wildcard.Prefix + ".*";
                foreach (var transition in wildcard.Candidates) edges.Add(Edge(chart, transition, descriptor));
            }
            foreach (var transition in node.Eventless) edges.Add(Edge(chart, transition, Always));
        }
        return edges;
    }

    private static DiagramEdge Edge(Statechart chart, Transition transition, string eventLabel)
    {
        var label = transition.Guard < 0 ? eventLabel : $"{eventLabel} [{chart.Guards.Names[transition.Guard]}]";
        return new DiagramEdge(chart.Nodes[transition.Source], transition.Targets.Select(t => chart.Nodes[t]).ToArray(), label);
    }

    private static string EventLabel(Statechart chart, StateNode node, int eventId)
    {
        if (eventId == node.DoneEventId) return OnDone;
        foreach (var delayed in node.Delayed)
        {
            if (delayed.EventId != eventId) continue;
            return delayed.DelayName >= 0 ? $"after {chart.Delays.Names[delayed.DelayName]}" : $"after {Duration(delayed.FixedDelay)}";
        }
        return chart.Events.Names[eventId];
    }

    /// <summary>XState's visualizer style: whole seconds as <c>2s</c>, anything else in milliseconds.</summary>
    private static string Duration(TimeSpan delay)
    {
        var ms = delay.TotalMilliseconds;
        return ms >= 1000 && ms % 1000 == 0
            ? (ms / 1000).ToString(CultureInfo.InvariantCulture) + "s"
            : ms.ToString(CultureInfo.InvariantCulture) + "ms";
    }
}
