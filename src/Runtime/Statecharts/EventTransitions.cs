namespace XStateNet.Actors.Statecharts;

/// <summary>
/// A state's <c>on</c> block compiled for lookup without hashing: event ids sorted for a linear or binary
/// search, and wildcard descriptors (<c>*</c>, <c>foo.*</c>) ordered most specific first, as XState ranks them.
/// </summary>
internal sealed class EventTransitions
{
    public static readonly EventTransitions Empty = new(Array.Empty<int>(), Array.Empty<Transition[]>(), Array.Empty<WildcardTransitions>());

    private readonly int[] _eventIds;
    private readonly Transition[][] _candidates;

    public EventTransitions(int[] sortedEventIds, Transition[][] candidates, WildcardTransitions[] wildcards)
    {
        _eventIds = sortedEventIds;
        _candidates = candidates;
        Wildcards = wildcards;
    }

    public WildcardTransitions[] Wildcards { get; }

    public bool IsEmpty => _eventIds.Length == 0 && Wildcards.Length == 0;

    /// <summary>Every exactly named event with its candidates, by event id; for tools that draw the chart, not the hot path.</summary>
    public IEnumerable<(int EventId, Transition[] Candidates)> ExactEvents() =>
        _eventIds.Select((id, i) => (id, _candidates[i]));

    /// <summary>The candidates declared for exactly this event, or null.</summary>
    public Transition[]? Exact(int eventId)
    {
        var ids = _eventIds;
        if (ids.Length <= 8)
        {
            for (var i = 0; i < ids.Length; i++)
            {
                if (ids[i] == eventId) return _candidates[i];
            }
            return null;
        }
        var found = Array.BinarySearch(ids, eventId);
        return found >= 0 ? _candidates[found] : null;
    }
}

/// <summary>Transitions under one wildcard descriptor; <see cref="Prefix"/> is empty for <c>*</c>.</summary>
internal sealed record WildcardTransitions(string Prefix, Transition[] Candidates)
{
    /// <summary>XState's rule: <c>foo.*</c> matches <c>foo</c> and every <c>foo.…</c>; <c>*</c> matches all.</summary>
    public bool Matches(string eventName) =>
        Prefix.Length == 0 ||
        (eventName.StartsWith(Prefix, StringComparison.Ordinal) &&
         (eventName.Length == Prefix.Length || eventName[Prefix.Length] == '.'));
}
