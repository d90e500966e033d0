namespace XStateNet.Actors.Statecharts;

// Taking a snapshot and resuming from one. Nothing here runs unless asked: the only cost on the hot path is the
// clock read and two stores when a delayed transition's timer starts (StartTimer).
public sealed partial class StatechartInterpreter
{
    /// <summary>
    /// Captures the machine between steps: configuration, history, a deep copy of the context, queued and
    /// delayed events and the done flag. Resume it with <see cref="FromSnapshot"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not started, or called from an action or guard (mid-step, the configuration is in flux).</exception>
    /// <exception cref="StatechartSnapshotException">A context value or event payload a snapshot cannot carry; each is named with its type.</exception>
    public StatechartSnapshot GetSnapshot()
    {
        using (EnterGate())
        {
            if (!_started) throw new InvalidOperationException("Start() the interpreter before taking a snapshot.");
            if (_inStep)
                throw new InvalidOperationException("A snapshot cannot be taken while a step is running (from an action or guard); take it after Send returns.");

            var problems = new List<string>();
            var context = SnapshotValues.CopyMap(Context, "context", problems);
            var queued = new List<StatechartSnapshotEvent>(_queue.Count);
            var index = 0;
            foreach (var pending in _queue)
            {
                var data = pending.Data is StatechartExecutionError error
                    ? error
                    : SnapshotValues.Copy(pending.Data, $"queue[{index}] (event '{pending.Name}').data", problems);
                queued.Add(new StatechartSnapshotEvent(pending.Name, data));
                index++;
            }
            if (problems.Count > 0) throw new StatechartSnapshotException("Cannot take a snapshot of the statechart", problems);

            return new StatechartSnapshot(_chart.Id, _chart.Fingerprint, _done, BuildConfiguration(), BuildHistory(), context,
                queued, BuildTimers());
        }
    }

    /// <summary>
    /// An interpreter already running from a snapshot, as the one that took it would have gone on: no entry
    /// action runs, queued events wait for the next <see cref="Send"/>, and delayed events fire after the time
    /// they still had, on <paramref name="options"/>' scheduler.
    /// </summary>
    /// <param name="chart">The chart; it must have the snapshot's id and the same states (<see cref="Statechart.Fingerprint"/>).</param>
    /// <param name="snapshot">What to resume from.</param>
    /// <param name="actions">Implementations of every action name the chart uses.</param>
    /// <param name="guards">Implementations of every guard name the chart uses.</param>
    /// <param name="options">Scheduler, named delays and limits; defaults when null.</param>
    /// <exception cref="StatechartSnapshotException">The snapshot does not fit the chart; every mismatch is named (a state path that no longer exists, another chart id, a changed structure).</exception>
    /// <exception cref="StatechartDefinitionException">Some action, guard or delay names were not supplied.</exception>
    public static StatechartInterpreter FromSnapshot(
        Statechart chart,
        StatechartSnapshot snapshot,
        IReadOnlyDictionary<string, Action<StatechartActionContext>>? actions = null,
        IReadOnlyDictionary<string, Func<StatechartActionContext, bool>>? guards = null,
        StatechartOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentNullException.ThrowIfNull(snapshot);
        var interpreter = new StatechartInterpreter(chart, actions, guards, options);
        interpreter.Restore(snapshot);
        return interpreter;
    }

    private string[] BuildConfiguration()
    {
        RefreshAtomicStates();
        var paths = new string[_atomicCount];
        for (var i = 0; i < _atomicCount; i++) paths[i] = _nodes[_atomic[i]].Path;
        return paths;
    }

    private Dictionary<string, IReadOnlyList<string>> BuildHistory()
    {
        var history = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        for (var state = 0; state < _nodes.Length; state++)
        {
            var count = _historyCount[state];
            if (count < 0) continue;
            var remembered = new string[count];
            for (var i = 0; i < count; i++) remembered[i] = _nodes[_history[state][i]].Path;
            history[_nodes[state].Path] = remembered;
        }
        return history;
    }

    /// <summary>Running timers, in the order they fall due (ties in the order they were started).</summary>
    private StatechartSnapshotTimer[] BuildTimers()
    {
        var now = _scheduler.Now;
        var running = new List<(TimeSpan Due, long Sequence, StatechartSnapshotTimer Timer)>();
        foreach (var node in _nodes)
        {
            foreach (var delayed in node.Delayed)
            {
                var slot = delayed.Slot;
                if (_timers[slot] is null) continue;
                var remaining = _timerDue[slot] - now;
                if (remaining < TimeSpan.Zero) remaining = TimeSpan.Zero;
                running.Add((_timerDue[slot], _timerSequence[slot],
                    new StatechartSnapshotTimer(node.Path, _chart.Events.Names[delayed.EventId], remaining)));
            }
        }
        return running.OrderBy(t => t.Due).ThenBy(t => t.Sequence).Select(t => t.Timer).ToArray();
    }

    /// <summary>Checks the whole snapshot against the chart first, reporting every mismatch; changes nothing unless all fits.</summary>
    private void Restore(StatechartSnapshot snapshot)
    {
        var problems = new List<string>();
        if (snapshot.ChartId != _chart.Id) problems.Add($"the snapshot is of chart '{snapshot.ChartId}', not '{_chart.Id}'");

        var configuration = new List<int>();
        foreach (var path in snapshot.Configuration)
        {
            var node = FindState(path, "active state", problems);
            if (node is null) continue;
            if (node.ChildIndices.Length > 0 || node.Kind == StateKind.History)
                problems.Add($"active state '{path}' is not an atomic or final state (it is {node.Kind.ToString().ToLowerInvariant()})");
            else configuration.Add(node.Index);
        }

        var history = new List<(int State, int[] Remembered)>();
        foreach (var (path, remembered) in snapshot.History)
        {
            var node = FindState(path, "history state", problems);
            if (node is null) continue;
            if (node.Kind != StateKind.History)
            {
                problems.Add($"history state '{path}' is not a history state (it is {node.Kind.ToString().ToLowerInvariant()})");
                continue;
            }
            var states = new List<int>();
            foreach (var rememberedPath in remembered)
            {
                var target = FindState(rememberedPath, $"state remembered by history '{path}'", problems);
                if (target is null) continue;
                if (!_nodes[node.ParentIndex].IsAncestorOf(target.Index) || target.Kind == StateKind.History)
                    problems.Add($"history '{path}' remembers '{rememberedPath}', which is not a state inside '{node.Parent!.Path}'");
                else states.Add(target.Index);
            }
            if (states.Count > _history[node.Index].Length)
                problems.Add($"history '{path}' remembers more states than '{node.Parent!.Path}' holds");
            else history.Add((node.Index, states.ToArray()));
        }

        var timers = new List<(int Slot, int EventId, TimeSpan Remaining)>();
        foreach (var timer in snapshot.Delayed)
        {
            var node = FindState(timer.State, "state of a delayed event", problems);
            if (node is null) continue;
            var delayed = node.Delayed.FirstOrDefault(d => _chart.Events.Names[d.EventId] == timer.Event);
            if (delayed is null) problems.Add($"state '{timer.State}' no longer has the delayed event '{timer.Event}'");
            else timers.Add((delayed.Slot, delayed.EventId, timer.Remaining));
        }

        if (snapshot.Fingerprint != _chart.Fingerprint)
            problems.Add($"the chart's states changed since the snapshot was taken (structure fingerprint {snapshot.Fingerprint}, now {_chart.Fingerprint})");
        if (problems.Count == 0) CheckConfiguration(configuration, timers, snapshot, problems);
        if (problems.Count > 0) throw new StatechartSnapshotException("Cannot restore the statechart snapshot", problems);

        using (EnterGate())
        {
            Context.Clear();
            foreach (var (key, value) in SnapshotValues.CopyMap(snapshot.Context, "context", problems)) Context[key] = value;
            foreach (var leaf in configuration)
            {
                for (var state = leaf; state >= 0 && !_active[state]; state = _nodes[state].ParentIndex) Activate(state);
            }
            foreach (var (state, remembered) in history)
            {
                remembered.CopyTo(_history[state], 0);
                _historyCount[state] = remembered.Length;
            }
            foreach (var queued in snapshot.Queued) _queue.Enqueue(new PendingEvent(EventIdOf(queued.Name), queued.Name, queued.Data));
            _done = snapshot.IsDone;
            _started = true;
            // Last, and in the snapshot's order, so that timers due at the same moment fire in their original order.
            var now = _scheduler.Now;
            foreach (var (slot, eventId, remaining) in timers) StartTimer(slot, eventId, remaining, now);
        }
    }

    private StateNode? FindState(string path, string what, List<string> problems)
    {
        var node = _chart.FindByPath(path);
        if (node is null) problems.Add($"{what} '{path}' no longer exists in chart '{_chart.Id}'");
        return node;
    }

    /// <summary>The atomic states must make a legal configuration, and timers must belong to active states.</summary>
    private void CheckConfiguration(List<int> leaves, List<(int Slot, int EventId, TimeSpan Remaining)> timers,
        StatechartSnapshot snapshot, List<string> problems)
    {
        var active = new bool[_nodes.Length];
        foreach (var leaf in leaves)
        {
            for (var state = leaf; state >= 0; state = _nodes[state].ParentIndex) active[state] = true;
        }
        if (leaves.Count == 0) problems.Add("the configuration is empty");
        foreach (var node in _nodes)
        {
            if (!active[node.Index]) continue;
            var activeChildren = node.ChildIndices.Count(c => active[c]);
            if (node.IsCompound && activeChildren != 1)
                problems.Add($"{(node.Index == 0 ? "the machine" : $"'{node.Path}'")} has {activeChildren} active children in the snapshot; a compound state has one");
            if (node.IsParallel && activeChildren != node.ChildIndices.Length)
                problems.Add($"parallel state '{node.Path}' has only {activeChildren} of its {node.ChildIndices.Length} regions active in the snapshot");
        }
        foreach (var timer in snapshot.Delayed)
        {
            if (_chart.FindByPath(timer.State) is { } node && !active[node.Index])
                problems.Add($"delayed event '{timer.Event}' belongs to '{timer.State}', which is not active in the snapshot");
        }
        if (snapshot.IsDone && (snapshot.Queued.Count > 0 || timers.Count > 0))
            problems.Add("a done machine has no queued or delayed events, but the snapshot has some");
    }
}
