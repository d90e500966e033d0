namespace XStateNet.Actors.Statecharts;

// SCXML's exitStates, computeEntrySet and enterStates, with history and completion (done.state.*) events.
public sealed partial class StatechartInterpreter
{
    private readonly int[] _exitSet;
    private readonly int[] _entrySet;
    private int _entryCount;
    private readonly int[] _entryMarks;
    private int _entryGeneration;
    private readonly int[] _completedMarks;
    private int _completedGeneration;
    private readonly int[] _effectiveTargets;
    private readonly int[][] _history;
    private readonly int[] _historyCount;
    /// <summary>Set when computing an entry set consulted a history state, which makes the result depend on the past.</summary>
    private bool _entryConsultedHistory;

    // ------------------------------------------------------------------ exit

    private void ExitStates()
    {
        var count = 0;
        for (var i = 0; i < _enabledCount; i++)
        {
            var transition = _enabled[i];
            if (transition.IsTargetless) continue;
            WalkActive(Domain(transition), includeSelf: false, atomicOnly: false, _exitSet, ref count);
        }
        if (count == 0) return;
        if (_enabledCount > 1) count = SortDistinct(_exitSet, count);

        if (_chart.HasHistoryStates)
        {
            for (var i = 0; i < count; i++) RememberHistory(_exitSet[i]);
        }
        for (var i = count - 1; i >= 0; i--) // exit order: reverse document order, innermost first
        {
            var state = _exitSet[i];
            var node = _nodes[state];
            if (node.Delayed.Length > 0) CancelTimers(node);
            if (node.ExitActions.Length > 0) RunActions(node.ExitActions);
            Deactivate(state);
        }
    }

    private void RememberHistory(int state)
    {
        foreach (var historyIndex in _nodes[state].HistoryChildIndices)
        {
            var remembered = _history[historyIndex];
            var count = 0;
            if (_nodes[historyIndex].History == HistoryDepth.Deep)
            {
                WalkActive(state, includeSelf: false, atomicOnly: true, remembered, ref count);
            }
            else
            {
                foreach (var child in _nodes[state].ChildIndices)
                {
                    if (_active[child]) remembered[count++] = child;
                }
            }
            _historyCount[historyIndex] = count;
        }
    }

    private static int SortDistinct(int[] states, int count)
    {
        Array.Sort(states, 0, count);
        var distinct = 1;
        for (var i = 1; i < count; i++)
        {
            if (states[i] != states[distinct - 1]) states[distinct++] = states[i];
        }
        return distinct;
    }

    // ------------------------------------------------------------------ entry set

    private void BeginEntrySet()
    {
        _entryCount = 0;
        _entryConsultedHistory = false;
        if (++_entryGeneration == int.MaxValue)
        {
            Array.Clear(_entryMarks);
            _entryGeneration = 1;
        }
    }

    private void AddTransitionEntrySet(Transition transition)
    {
        if (transition.IsTargetless) return;
        foreach (var target in transition.Targets) AddDescendantStatesToEnter(target);
        var domain = Domain(transition);
        var count = EffectiveTargets(transition, _effectiveTargets, 0);
        for (var i = 0; i < count; i++) AddAncestorStatesToEnter(_effectiveTargets[i], domain);
    }

    private void MarkToEnter(int state)
    {
        if (_entryMarks[state] == _entryGeneration) return;
        _entryMarks[state] = _entryGeneration;
        _entrySet[_entryCount++] = state;
    }

    private void AddDescendantStatesToEnter(int state)
    {
        var node = _nodes[state];
        if (node.Kind == StateKind.History)
        {
            _entryConsultedHistory = true;
            var parent = node.ParentIndex;
            var remembered = _historyCount[state];
            ReadOnlySpan<int> targets = remembered >= 0 ? _history[state].AsSpan(0, remembered) : node.HistoryDefaultTargets;
            foreach (var target in targets) AddDescendantStatesToEnter(target);
            foreach (var target in targets) AddAncestorStatesToEnter(target, parent);
            return;
        }

        MarkToEnter(state);
        if (node.IsCompound)
        {
            AddDescendantStatesToEnter(node.InitialIndex);
        }
        else if (node.IsParallel)
        {
            foreach (var region in node.ChildIndices)
            {
                if (!HasDescendantToEnter(region)) AddDescendantStatesToEnter(region);
            }
        }
    }

    private void AddAncestorStatesToEnter(int state, int ancestor)
    {
        for (var current = _nodes[state].ParentIndex; current >= 0 && current != ancestor; current = _nodes[current].ParentIndex)
        {
            MarkToEnter(current);
            var node = _nodes[current];
            if (!node.IsParallel) continue;
            foreach (var region in node.ChildIndices)
            {
                if (!HasDescendantToEnter(region)) AddDescendantStatesToEnter(region);
            }
        }
    }

    /// <summary>Whether the entry set already holds <paramref name="state"/> or something below it.</summary>
    private bool HasDescendantToEnter(int state)
    {
        var end = _nodes[state].DescendantEnd;
        for (var i = state; i <= end; i++)
        {
            if (_entryMarks[i] == _entryGeneration) return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ enter

    /// <summary>Sorts the computed entry set into document order and enters it.</summary>
    private void EnterComputedStates()
    {
        Array.Sort(_entrySet, 0, _entryCount);
        EnterStates(_entrySet.AsSpan(0, _entryCount));
    }

    /// <summary>
    /// Enters what a lone transition enters. That set depends only on the chart unless history is involved, so
    /// it is computed once, by the same code as always, and kept on the (shared, immutable) transition.
    /// </summary>
    private void EnterForSingleTransition(Transition transition)
    {
        if (transition.CachedEntrySet is { } cached)
        {
            EnterStates(cached);
            return;
        }
        BeginEntrySet();
        AddTransitionEntrySet(transition);
        Array.Sort(_entrySet, 0, _entryCount);
        if (!_entryConsultedHistory && !transition.TargetsHistory)
        {
            transition.CachedEntrySet = _entrySet.AsSpan(0, _entryCount).ToArray(); // a benign race: every thread computes the same array
        }
        EnterStates(_entrySet.AsSpan(0, _entryCount));
    }

    private void EnterStates(ReadOnlySpan<int> states)
    {
        if (states.IsEmpty) return;
        if (++_completedGeneration == int.MaxValue)
        {
            Array.Clear(_completedMarks);
            _completedGeneration = 1;
        }
        foreach (var state in states)
        {
            Activate(state);
            var node = _nodes[state];
            if (node.EntryActions.Length > 0) RunActions(node.EntryActions);
            if (node.Delayed.Length > 0) StartTimers(node);
            if (node.Kind == StateKind.Final) OnFinalStateEntered(state);
        }
    }

    /// <summary>
    /// Raises <c>done.state.&lt;parent&gt;</c>, then completes enclosing parallel states whose regions are all
    /// final (XState's rule, which extends SCXML's one level to any depth). Past the root, the machine is done.
    /// </summary>
    private void OnFinalStateEntered(int finalState)
    {
        var parent = _nodes[finalState].ParentIndex;
        var parentNode = _nodes[parent];
        if (parentNode.IsCompound && parent != 0)
        {
            var data = _nodes[finalState].DoneData is { } output ? JsonValues.ToClr(output) : null;
            Raise(parentNode.DoneEventId, data);
        }
        var marker = parentNode.IsParallel ? parent : parentNode.ParentIndex;
        while (marker >= 0 && _nodes[marker].IsParallel && _completedMarks[marker] != _completedGeneration && IsInFinalState(marker))
        {
            _completedMarks[marker] = _completedGeneration;
            if (marker != 0) Raise(_nodes[marker].DoneEventId, null);
            marker = _nodes[marker].ParentIndex;
        }
        if (marker < 0) _done = true;
    }

    private void Raise(int eventId, object? data) => _queue.Enqueue(new PendingEvent(eventId, _chart.Events.Names[eventId], data));

    // ------------------------------------------------------------------ targets and domains

    private int Domain(Transition transition)
    {
        if (!transition.TargetsHistory) return transition.StaticDomain;
        var count = EffectiveTargets(transition, _effectiveTargets, 0);
        return ChartGeometry.Domain(_nodes, transition, _effectiveTargets.AsSpan(0, count));
    }

    /// <summary>SCXML's getEffectiveTargetStates: history states replaced by what they remember, or their defaults.</summary>
    private int EffectiveTargets(Transition transition, int[] into, int count)
    {
        foreach (var target in transition.Targets) count = AddEffective(target, into, count);
        return count;
    }

    private int AddEffective(int target, int[] into, int count)
    {
        var node = _nodes[target];
        if (node.Kind != StateKind.History) return AddDistinct(target, into, count);
        var remembered = _historyCount[target];
        if (remembered >= 0)
        {
            for (var i = 0; i < remembered; i++) count = AddDistinct(_history[target][i], into, count);
            return count;
        }
        foreach (var fallback in node.HistoryDefaultTargets) count = AddEffective(fallback, into, count);
        return count;
    }

    private static int AddDistinct(int state, int[] into, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (into[i] == state) return count;
        }
        into[count] = state;
        return count + 1;
    }
}
