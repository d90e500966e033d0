namespace XStateNet.Actors.Statecharts;

// Choosing which transitions an event (or no event) enables: SCXML's selectTransitions,
// selectEventlessTransitions and removeConflictingTransitions.
public sealed partial class StatechartInterpreter
{
    private readonly Transition[] _enabled;
    private int _enabledCount;

    /// <summary>For each active atomic state in document order, the first enabled transition on it or its nearest ancestor.</summary>
    private bool SelectTransitions(int eventId, string eventName)
    {
        _enabledCount = 0;
        RefreshAtomicStates();
        for (var i = 0; i < _atomicCount; i++)
        {
            for (var state = _atomic[i]; state >= 0; state = _nodes[state].ParentIndex)
            {
                var chosen = FirstEnabledForEvent(_nodes[state].Events, eventId, eventName);
                if (chosen is null) continue;
                AddEnabled(chosen);
                break;
            }
        }
        return ResolveConflicts();
    }

    private bool SelectEventlessTransitions()
    {
        _enabledCount = 0;
        RefreshAtomicStates();
        for (var i = 0; i < _atomicCount; i++)
        {
            for (var state = _atomic[i]; state >= 0; state = _nodes[state].ParentIndex)
            {
                var candidates = _nodes[state].Eventless;
                if (candidates.Length == 0) continue;
                var chosen = FirstPassing(candidates);
                if (chosen is null) continue;
                AddEnabled(chosen);
                break;
            }
        }
        return ResolveConflicts();
    }

    /// <summary>XState's ranking: transitions for exactly this event shadow wildcard ones declared on the same state.</summary>
    private Transition? FirstEnabledForEvent(EventTransitions events, int eventId, string eventName)
    {
        if (events.IsEmpty) return null;
        if (eventId >= 0 && events.Exact(eventId) is { } exact) return FirstPassing(exact);
        foreach (var wildcard in events.Wildcards)
        {
            if (!wildcard.Matches(eventName)) continue;
            var chosen = FirstPassing(wildcard.Candidates);
            if (chosen is not null) return chosen;
        }
        return null;
    }

    private Transition? FirstPassing(Transition[] candidates)
    {
        foreach (var candidate in candidates)
        {
            if (candidate.Guard < 0 || EvaluateGuard(candidate.Guard)) return candidate;
        }
        return null;
    }

    private void AddEnabled(Transition transition)
    {
        for (var i = 0; i < _enabledCount; i++)
        {
            if (ReferenceEquals(_enabled[i], transition)) return;
        }
        _enabled[_enabledCount++] = transition;
    }

    /// <summary>
    /// SCXML's removeConflictingTransitions: two transitions conflict when their exit sets meet, which for
    /// non-empty exit sets means one domain contains the other. A transition from a descendant beats one from
    /// its ancestor; otherwise the one selected first (document order) wins.
    /// </summary>
    private bool ResolveConflicts()
    {
        if (_enabledCount <= 1) return _enabledCount == 1;
        var kept = 0;
        for (var i = 0; i < _enabledCount; i++)
        {
            var candidate = _enabled[i];
            if (!candidate.IsTargetless)
            {
                var domain = Domain(candidate);
                if (IsPreempted(candidate, domain, kept)) continue;
                var survivors = 0;
                for (var j = 0; j < kept; j++)
                {
                    var earlier = _enabled[j];
                    if (!Conflicts(domain, earlier)) _enabled[survivors++] = earlier; // else an ancestor's transition, dropped
                }
                kept = survivors;
            }
            _enabled[kept++] = candidate;
        }
        _enabledCount = kept;
        return kept > 0;
    }

    private bool IsPreempted(Transition candidate, int domain, int kept)
    {
        for (var j = 0; j < kept; j++)
        {
            var earlier = _enabled[j];
            if (Conflicts(domain, earlier) && !_nodes[earlier.Source].IsAncestorOf(candidate.Source)) return true;
        }
        return false;
    }

    private bool Conflicts(int domain, Transition other) => !other.IsTargetless && DomainsOverlap(domain, Domain(other));

    private bool DomainsOverlap(int a, int b) => a == b || _nodes[a].IsAncestorOf(b) || _nodes[b].IsAncestorOf(a);
}
