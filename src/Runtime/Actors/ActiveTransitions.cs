using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors;

/// <summary>Whether a chart, in its current configuration, has a transition for an event at all (guards not asked).</summary>
internal static class ActiveTransitions
{
    /// <summary>
    /// True when an active state or one of its ancestors declares a transition for <paramref name="eventName"/>,
    /// by name or by a wildcard (<c>*</c>, <c>error.*</c>). Walks the states: for rare events only, never per message.
    /// </summary>
    public static bool Handle(Statechart chart, IReadOnlyList<string> activeStates, string eventName)
    {
        var eventId = chart.Events.TryGetIndex(eventName, out var found) ? found : -1;
        foreach (var path in activeStates)
        {
            for (var node = chart.FindByPath(path); node is not null; node = node.Parent)
            {
                if (eventId >= 0 && node.Events.Exact(eventId) is not null) return true;
                foreach (var wildcard in node.Events.Wildcards)
                {
                    if (wildcard.Matches(eventName)) return true;
                }
            }
        }
        return false;
    }
}
