namespace XStateNet.Actors.Statecharts;

/// <summary>
/// Runs a <see cref="Statechart"/> by the W3C SCXML algorithm: an event selects transitions (document order,
/// innermost first, conflicts resolved), each microstep exits, acts and enters by the least common compound
/// ancestor, and eventless transitions and raised events run to stability before the step completes.
/// Events sent while a step is under way (from actions, timers or other threads) are queued, never run
/// re-entrantly. Allocation-free per transition once warm.
/// </summary>
public sealed partial class StatechartInterpreter
{
    private readonly Statechart _chart;
    private readonly StateNode[] _nodes;
    private readonly Action<StatechartActionContext>[] _actions;
    private readonly Func<StatechartActionContext, bool>[] _guards;
    private readonly TimeSpan[] _delays;
    private readonly IStatechartScheduler _scheduler;
    private readonly int _maxEventlessMicrosteps;
    private readonly Action<StatechartExecutionError>? _onExecutionError;
    private readonly StatechartActionContext _actionContext;
    private readonly object _gate = new();
    private readonly bool _synchronized;
    private readonly Queue<PendingEvent> _queue = new();

    private bool _started;
    private bool _inStep;
    private bool _done;
    private string _eventName = "";
    private object? _eventData;
    private string[]? _activeStatesCache;
    private string? _lastEventName;
    private int _lastEventId;

    /// <summary>Creates an interpreter; nothing runs until <see cref="Start"/>.</summary>
    /// <param name="chart">The compiled chart.</param>
    /// <param name="actions">Implementations of every action name the chart uses.</param>
    /// <param name="guards">Implementations of every guard name the chart uses.</param>
    /// <param name="options">Scheduler, named delays and limits; defaults when null.</param>
    /// <exception cref="StatechartDefinitionException">Some action, guard or delay names were not supplied; all are listed.</exception>
    public StatechartInterpreter(
        Statechart chart,
        IReadOnlyDictionary<string, Action<StatechartActionContext>>? actions = null,
        IReadOnlyDictionary<string, Func<StatechartActionContext, bool>>? guards = null,
        StatechartOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        options ??= new StatechartOptions();
        if (options.MaxEventlessMicrosteps < 1)
            throw new ArgumentOutOfRangeException(nameof(options), "MaxEventlessMicrosteps must be at least 1");

        _chart = chart;
        _nodes = chart.Nodes;
        var missing = new List<StatechartDefinitionError>();
        _actions = Bind(chart.Actions, actions, "action", missing);
        _guards = Bind(chart.Guards, guards, "guard", missing);
        var delays = Bind(chart.Delays, options.Delays, "delay", missing);
        if (missing.Count > 0) throw new StatechartDefinitionException(missing);

        _delays = delays;
        _scheduler = options.Scheduler ?? TimerScheduler.System;
        _maxEventlessMicrosteps = options.MaxEventlessMicrosteps;
        _onExecutionError = options.OnExecutionError;
        _synchronized = options.Synchronized;

        Context = chart.InitialContext is { } initial
            ? JsonValues.ToDictionary(initial)
            : new Dictionary<string, object?>(StringComparer.Ordinal);
        _actionContext = new StatechartActionContext(this, Context);

        var count = _nodes.Length;
        _active = new bool[count];
        _activeChild = new int[count];
        Array.Fill(_activeChild, -1);
        _atomic = new int[chart.MaxActiveAtomicStates];
        _history = new int[count][];
        _historyCount = new int[count];
        Array.Fill(_historyCount, -1);
        foreach (var node in _nodes)
        {
            if (node.Kind == StateKind.History) _history[node.Index] = new int[node.Parent!.DescendantEnd - node.Parent.Index];
        }
        _timers = new IDisposable?[chart.DelaySlotCount];
        _timerGenerations = new int[chart.DelaySlotCount];
        _timerDue = new TimeSpan[chart.DelaySlotCount];
        _timerSequence = new long[chart.DelaySlotCount];
        _enabled = new Transition[chart.MaxActiveAtomicStates];
        _exitSet = new int[count];
        _entrySet = new int[count];
        _entryMarks = new int[count];
        _completedMarks = new int[count];
        _effectiveTargets = new int[count];
        _stack = new int[count];
    }

    /// <summary>The chart being run.</summary>
    public Statechart Chart => _chart;

    /// <summary>The machine's mutable context, seeded from the chart's <c>context</c>.</summary>
    public IDictionary<string, object?> Context { get; }

    /// <summary>True once <see cref="Start"/> has run.</summary>
    public bool IsStarted => _started;

    /// <summary>True once a top-level final state was reached; later events are ignored.</summary>
    public bool IsDone => _done;

    /// <summary>Dotted paths from the root of the active atomic states, in ordinal order.</summary>
    public IReadOnlyList<string> ActiveStates
    {
        get
        {
            using (EnterGate())
            {
                return _activeStatesCache ??= BuildActiveStates();
            }
        }
    }

    /// <summary>True when the state at the dotted path (e.g. <c>a.b</c>) is active.</summary>
    public bool Matches(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var node = _chart.FindByPath(path);
        using (EnterGate())
        {
            return node is not null && _active[node.Index];
        }
    }

    /// <summary>Enters the initial configuration and runs to stability.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public void Start()
    {
        using (EnterGate())
        {
            if (_started) throw new InvalidOperationException("The interpreter has already been started.");
            _started = true;
            _inStep = true;
            try
            {
                _eventName = "xstate.init";
                _eventData = null;
                BeginEntrySet();
                AddDescendantStatesToEnter(0);
                EnterComputedStates();
                RunToStability();
            }
            finally
            {
                _inStep = false;
            }
        }
    }

    /// <summary>
    /// Sends an event. Outside a step it is handled at once, with everything it causes; inside one (from an
    /// action, say) it is queued and handled after the current step. Ignored once the machine is done.
    /// </summary>
    /// <exception cref="InvalidOperationException">The interpreter was not started.</exception>
    public void Send(string eventName, object? data = null)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        using (EnterGate())
        {
            if (!_started) throw new InvalidOperationException($"Start() the interpreter before sending '{eventName}'.");
            Enqueue(EventIdOf(eventName), eventName, data);
        }
    }

    /// <summary>
    /// Event names are usually the same string instances (literals, or one per message type), so the last one
    /// seen is remembered by reference and its hash lookup skipped. Caller holds the gate.
    /// </summary>
    private int EventIdOf(string eventName)
    {
        if (ReferenceEquals(eventName, _lastEventName)) return _lastEventId;
        var id = _chart.Events.TryGetIndex(eventName, out var found) ? found : -1;
        _lastEventName = eventName;
        _lastEventId = id;
        return id;
    }

    /// <summary>
    /// Handles an event now when no step is running and nothing waits (the common case, without a trip through
    /// the queue), or queues it behind what runs or waits. Caller holds the gate.
    /// </summary>
    private void Enqueue(int eventId, string eventName, object? data)
    {
        if (_done) return;
        // Events left behind by a step that threw keep their turn ahead of this one.
        if (_inStep || _queue.Count > 0) _queue.Enqueue(new PendingEvent(eventId, eventName, data));
        if (_inStep) return;
        _inStep = true;
        try
        {
            if (_queue.Count == 0) ProcessEvent(eventId, eventName, data);
            RunToStability();
        }
        finally
        {
            _inStep = false;
        }
    }

    private void ProcessEvent(int eventId, string eventName, object? data)
    {
        _eventName = eventName;
        _eventData = data;
        if (SelectTransitions(eventId, eventName)) Microstep();
    }

    /// <summary>Eventless transitions first, then queued events one by one, until nothing is enabled and the queue is empty.</summary>
    private void RunToStability()
    {
        var eventless = 0;
        while (!_done)
        {
            if (_chart.HasEventlessTransitions && SelectEventlessTransitions())
            {
                if (++eventless > _maxEventlessMicrosteps) throw EventlessLoop();
                Microstep();
                continue;
            }
            if (!_queue.TryDequeue(out var next)) break;
            eventless = 0;
            ProcessEvent(next.EventId, next.Name, next.Data);
        }
        if (_done) StopAfterDone();
    }

    /// <summary>Transitions taken since the start (eventless ones included), for the machines' meter.</summary>
    internal long TransitionsTaken { get; private set; }

    private void Microstep()
    {
        TransitionsTaken += _enabledCount;
        ExitStates();
        for (var i = 0; i < _enabledCount; i++)
        {
            if (_enabled[i].Actions.Length > 0) RunActions(_enabled[i].Actions);
        }
        if (_enabledCount == 1)
        {
            EnterForSingleTransition(_enabled[0]);
            return;
        }
        BeginEntrySet();
        for (var i = 0; i < _enabledCount; i++) AddTransitionEntrySet(_enabled[i]);
        EnterComputedStates();
    }

    private void StopAfterDone()
    {
        _queue.Clear();
        for (var slot = 0; slot < _timers.Length; slot++) CancelTimer(slot);
    }

    private StatechartRuntimeException EventlessLoop()
    {
        var last = _enabled[0];
        return new StatechartRuntimeException(
            $"Eventless transitions did not settle after {_maxEventlessMicrosteps} microsteps; the last one taken is at " +
            $"{last.JsonPath} (from {_nodes[last.Source]}). Check that the 'always' guards eventually turn false. " +
            $"Active states: {string.Join(", ", BuildActiveStates())}.");
    }

    private string[] BuildActiveStates()
    {
        RefreshAtomicStates();
        var paths = new string[_atomicCount];
        for (var i = 0; i < _atomicCount; i++) paths[i] = _nodes[_atomic[i]].Path;
        Array.Sort(paths, StringComparer.Ordinal);
        return paths;
    }

    private static T[] Bind<T>(NameTable names, IReadOnlyDictionary<string, T>? supplied, string what, List<StatechartDefinitionError> missing)
    {
        var bound = new T[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            if (supplied is not null && supplied.TryGetValue(names.Names[i], out var value) && value is not null) bound[i] = value;
            else missing.Add(new StatechartDefinitionError(names.FirstUses[i], $"{what} '{names.Names[i]}' was not supplied"));
        }
        return bound;
    }

    /// <summary>The interpreter's lock, unless the host promised one thread at a time (<see cref="StatechartOptions.Synchronized"/>).</summary>
    private Gate EnterGate() => new(_synchronized ? _gate : null);

    private readonly ref struct Gate
    {
        private readonly object? _held;

        public Gate(object? gate)
        {
            if (gate is not null) Monitor.Enter(gate);
            _held = gate;
        }

        public void Dispose()
        {
            if (_held is not null) Monitor.Exit(_held);
        }
    }

    private readonly record struct PendingEvent(int EventId, string Name, object? Data);
}
