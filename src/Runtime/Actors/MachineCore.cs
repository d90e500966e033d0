using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using XStateNet.Actors.Inspection;
using XStateNet.Actors.Statecharts;
using XStateNet.Actors.Telemetry;

namespace XStateNet.Actors;

/// <summary>
/// What every machine actor does, whatever kind of actor it is: one interpreter step per message, the sends its
/// actions request collected in an outbox, async actions awaited, deliveries by id (<see cref="TargetResolver"/>),
/// and the snapshot answered to <see cref="GetMachineSnapshot"/>. The actor that owns it (<see cref="MachineActor"/>,
/// or a persistent sharded entity) decides when the outbox goes out, through the hook it passes in: a plain machine
/// sends at once, a persistent one after its new state is stored, so that nothing it says is ahead of what survives.
/// </summary>
/// <remarks>Used on the owning actor's thread only.</remarks>
internal sealed class MachineCore
{
    private readonly MachineDefinition _definition;
    private readonly IActorContext _actor;
    private readonly IWithTimers _timers;
    private readonly ILoggingAdapter _log;
    private readonly List<OutgoingSend> _outbox = new();
    private readonly List<PendingAsyncAction> _pendingAsync = new();
    private readonly TargetResolver _targets;
    private readonly StatechartInterpreter _interpreter;
    private readonly OrchestratedContext _context;
    private readonly MachineObservation _observation;
    private readonly MachineMeter _meter;
    private readonly bool _metrics; // xstatenet.telemetry.metrics of the system, read once
    private readonly bool _tracing; // xstatenet.telemetry.tracing: off, no activity and no trace context passed on
    private readonly MachineHealthState _health;
    private long _steps;
    private string? _lastEvent;
    private readonly Action _afterStep;

    /// <summary>
    /// Builds the machine: fresh (call <see cref="Start"/>) or resumed from a snapshot (already running). The owner's
    /// hook is called after every step (and after async actions complete): it flushes the outbox, awaits async actions.
    /// </summary>
    /// <exception cref="StatechartSnapshotException">The snapshot does not fit the chart (every mismatch named).</exception>
    public MachineCore(MachineDefinition definition, IActorContext actor, IWithTimers timers, ILoggingAdapter log, Action afterStep,
        StatechartSnapshot? resumeFrom = null)
    {
        _definition = definition;
        _actor = actor;
        _timers = timers;
        _log = log;
        _afterStep = afterStep;
        _observation = MachineObservation.For(actor.System);
        _meter = new MachineMeter(definition.Chart.Id);
        var switches = Transport.Telemetry.TelemetrySwitches.For(actor.System);
        _metrics = switches.Metrics;
        _tracing = switches.Tracing;
        _health = new MachineHealthState(definition.Id);
        _targets = new TargetResolver(actor, timers, MachineRoutes.For(actor.System), definition.Id);
        var options = new StatechartOptions
        {
            Scheduler = new ActorTimerScheduler(timers),
            Synchronized = false, // an actor handles one message at a time, and its timers arrive as messages
            Delays = definition.Delays,
            MaxEventlessMicrosteps = definition.MaxEventlessMicrosteps,
            OnExecutionError = LogExecutionError,
        };
        _interpreter = resumeFrom is null
            ? new StatechartInterpreter(definition.Chart, BindActions(), BindGuards(), options)
            : StatechartInterpreter.FromSnapshot(definition.Chart, resumeFrom, BindActions(), BindGuards(), options);
        _context = new OrchestratedContext(definition.Id, new MachineStateView(_interpreter), _targets.Describe, _outbox);
    }

    public MachineDefinition Definition => _definition;

    public StatechartInterpreter Interpreter => _interpreter;

    /// <summary>Running, done or failed, as the machines' health check reports it (registered with the inspector's observation).</summary>
    public MachineHealthState Health => _health;

    /// <summary>Sends to sharded machines (acknowledging prefix routes) not acknowledged yet.</summary>
    public int Unacknowledged => _targets.Unacknowledged;

    /// <summary>True while async actions of the last step still run: the owner stashes all but deliveries.</summary>
    public bool HasPendingAsync => _pendingAsync.Count > 0;

    /// <summary>Runs the chart's initial step (entry actions).</summary>
    public void Start() => RunStep(source: null, replyTo: null, 0, static (run, _) => run.Start());

    public void HandleEvent(MachineEvent message, IActorRef sender)
    {
        if (UnhandledRuntimeEvent.IsWatched(message.Name))
        {
            if (_metrics && message.Name == MachineEvents.ErrorCommunication) _meter.Error(message.Name);
            WarnIfUnhandled(message.Name, message.Data);
        }
        _targets.Learn(message.SourceMachineId, sender);
        RunStep(message.SourceMachineId, sender, message, static (run, e) => run.Send(e.Name, e.Data));
    }

    public void HandleTimer(TimerDue due) => RunStep(source: null, replyTo: null, due, static (_, d) => d.Callback());

    /// <summary>
    /// Messages that deliver sends already requested; they never run machine code, so the owner handles them in
    /// every state. False when the message is none of them.
    /// </summary>
    public bool HandleDelivery(object message)
    {
        switch (message)
        {
            case DelayedSendDue due:
                _targets.Send(due.TargetMachineId, due.Event);
                return true;
            case ActorIdentity identity:
                return _targets.OnIdentity(identity);
            case ResolveTimedOut timeout:
                _targets.OnResolveTimeout(timeout);
                return true;
            case Terminated terminated:
                return _targets.OnTerminated(terminated);
            case EventAcknowledged acknowledged:
                return _targets.OnAcknowledged(acknowledged);
            case RedeliveryDue:
                _targets.OnRedeliveryDue();
                return true;
            default:
                return false;
        }
    }

    /// <summary>Sends what the last steps requested, in order, and empties the outbox.</summary>
    public void FlushOutbox()
    {
        if (_outbox.Count == 0) return;
        Send(_outbox);
        _outbox.Clear();
    }

    /// <summary>Takes what the last steps requested, to be sent later with <see cref="Send"/> (after the state is stored).</summary>
    public OutgoingSend[] TakeOutbox()
    {
        if (_outbox.Count == 0) return [];
        var taken = _outbox.ToArray();
        _outbox.Clear();
        return taken;
    }

    /// <summary>Sends requests taken from the outbox, in order.</summary>
    public void Send(IReadOnlyList<OutgoingSend> sends)
    {
        foreach (var send in sends)
        {
            if (send.Reply is { } reply) _targets.Reply(reply, send.Event);
            else if (send.IsSelf) _actor.Self.Tell(send.Event, _actor.Self);
            else if (send.Delay > TimeSpan.Zero)
                _timers.Timers.StartSingleTimer(new object(), new DelayedSendDue(send.TargetMachineId!, send.Event), send.Delay);
            else _targets.Send(send.TargetMachineId!, send.Event);
        }
    }

    /// <summary>Tells the owner <see cref="AsyncActionsCompleted"/> once every pending async action has completed.</summary>
    public void AwaitAsyncActions()
    {
        var tasks = new Task[_pendingAsync.Count];
        for (var i = 0; i < tasks.Length; i++) tasks[i] = _pendingAsync[i].Task;
        Task.WhenAll(tasks).ContinueWith(static _ => AsyncActionsCompleted.Instance, TaskContinuationOptions.ExecuteSynchronously).PipeTo(_actor.Self);
    }

    /// <summary>
    /// The async actions have completed: logs the failed ones, runs the owner's hook (sends requested after the
    /// actions' awaits), then raises <c>error.execution</c> for each failure, one step each.
    /// </summary>
    public void OnAsyncActionsCompleted()
    {
        var failed = new List<StatechartExecutionError>();
        foreach (var pending in _pendingAsync)
        {
            if (pending.Task.Exception is not { } exception) continue;
            var error = new StatechartExecutionError(pending.Name, IsGuard: false, pending.EventName, exception.InnerExceptions.Count == 1 ? exception.InnerException! : exception);
            LogExecutionError(error);
            failed.Add(error);
        }
        _pendingAsync.Clear();
        _afterStep();
        foreach (var error in failed)
        {
            RunStep(_definition.Id, _actor.Self, error, static (run, e) => run.Send(MachineEvents.ErrorExecution, e));
        }
    }

    public MachineSnapshot Snapshot() => new(
        _definition.Id,
        _interpreter.ActiveStates.ToArray(),
        _interpreter.IsDone,
        ContextCopy.Of(_interpreter.Context))
    {
        Steps = _steps,
        LastEvent = _lastEvent,
    };

    /// <summary>
    /// One step of the interpreter, then the owner's hook; static lambdas keep the hot path allocation-free. What
    /// observes a step (meter, trace, debug log, inspector) costs a field read each when nobody listens, and one
    /// test of a field when switched off (<c>xstatenet.telemetry</c>): no clock read, no tag, no allocation.
    /// </summary>
    private void RunStep<T>(string? source, IActorRef? replyTo, T argument, Action<StatechartInterpreter, T> step)
    {
        _context.SourceMachineId = source;
        _context.ReplySender = replyTo;
        var startedAt = _metrics ? MachineMeter.StepStarted() : 0;
        var transitionsBefore = _interpreter.TransitionsTaken;
        var from = _log.IsDebugEnabled ? _interpreter.ActiveStates : null; // a cached list: replaced, never changed, by a step
        Activity? activity = null;
        if (_tracing)
        {
            // The event's trace context is parsed only for an activity; otherwise its text goes on to this step's sends as it is.
            var parent = argument is MachineEvent received ? received.TraceParent : null;
            activity = MachineTracing.Source.HasListeners() ? StartActivity(argument, MachineEvent.Parse(parent)) : null;
            _context.TraceParent = activity is null ? parent : MachineEvent.Format(activity.Context);
        }
        try
        {
            step(_interpreter, argument);
        }
        catch (StatechartRuntimeException e)
        {
            _log.Error(e, "Machine '{0}' stopped its step: {1}", _definition.Id, e.Message);
            _health.Failed($"a step stopped: {e.Message}");
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
        }
        _afterStep();
        _steps++;
        _lastEvent = MachineStepped.NameOf(argument); // a name already held (the event's, or a constant): nothing allocated
        var transitions = _interpreter.TransitionsTaken - transitionsBefore;
        if (from is not null && (transitions > 0 || argument is int)) LogTransition(argument, from); // the start enters states without a transition
        if (_observation.IsObserved)
            _actor.System.EventStream.Publish(new MachineStepped(_definition.Id, MachineStepped.NameOf(argument),
                _interpreter.ActiveStates.ToArray(), _interpreter.IsDone, DateTimeOffset.UtcNow));
        if (_metrics) _meter.Stepped(handledEvent: argument is not int, transitions, startedAt);
        _health.SetDone(_interpreter.IsDone);
        if (activity is not null) EndActivity(activity);
    }

    /// <summary>A step's activity, a child of the sender's when the event carries its trace context.</summary>
    private Activity? StartActivity<T>(T argument, ActivityContext parent)
    {
        var eventName = MachineStepped.NameOf(argument);
        var activity = MachineTracing.Source.StartActivity(
            argument is MachineEvent ? ActivityKind.Consumer : ActivityKind.Internal, parent, name: $"{_definition.Id} {eventName}");
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(MachineTracing.MachineIdTag, _definition.Id);
            activity.SetTag(MachineTracing.EventTag, eventName);
            if (argument is MachineEvent { SourceMachineId: { } sender }) activity.SetTag(MachineTracing.SourceMachineTag, sender);
        }
        return activity;
    }

    private void EndActivity(Activity activity)
    {
        if (activity.IsAllDataRequested) activity.SetTag(MachineTracing.StatesTag, string.Join(",", _interpreter.ActiveStates));
        activity.Dispose();
    }

    /// <summary>At Debug, as Akka's own actors log their lifecycle: which machine moved, on what, from where to where.</summary>
    private void LogTransition<T>(T argument, IReadOnlyList<string> from)
    {
        _log.Debug("Machine '{0}' on '{1}': {2} -> {3}", _definition.Id, MachineStepped.NameOf(argument),
            from.Count == 0 ? "(none)" : string.Join(", ", from), string.Join(", ", _interpreter.ActiveStates));
    }

    /// <summary>Nothing silent: a runtime error event the chart has no transition for is at least in the log.</summary>
    private void WarnIfUnhandled(string eventName, object? data)
    {
        if (ActiveTransitions.Handle(_definition.Chart, _interpreter.ActiveStates, eventName)) return;
        var description = UnhandledRuntimeEvent.Describe(_definition.Id, eventName, data, _interpreter.ActiveStates);
        _log.Warning("{0}", description);
        if (eventName != MachineEvents.TargetTerminated) _health.Failed(description); // a target stopping is news, not a failure
    }

    /// <summary>
    /// The exception with its stack at Error; then, as for every runtime error event, a warning when the chart does not
    /// handle the error.execution the interpreter raises (checked in the states it is raised in).
    /// </summary>
    private void LogExecutionError(StatechartExecutionError error)
    {
        if (_metrics) _meter.Error(MachineEvents.ErrorExecution);
        _log.Error(error.Exception, "Machine '{0}': {1} '{2}' threw while handling '{3}'; raised {4}",
            _definition.Id, error.IsGuard ? "guard" : "action", error.Name, error.EventName, MachineEvents.ErrorExecution);
        WarnIfUnhandled(MachineEvents.ErrorExecution, error);
    }

    private Dictionary<string, Action<StatechartActionContext>> BindActions()
    {
        var bound = new Dictionary<string, Action<StatechartActionContext>>(StringComparer.Ordinal);
        foreach (var (name, action) in _definition.Actions)
        {
            bound[name] = current =>
            {
                _context.Bind(current);
                action(_context);
            };
        }
        foreach (var (name, action) in _definition.AsyncActions)
        {
            var actionName = name;
            bound[name] = current =>
            {
                _context.Bind(current);
                var task = action(_context);
                if (task.IsCompletedSuccessfully) return;
                if (task.IsCompleted) task.GetAwaiter().GetResult(); // failed at once: the engine raises error.execution now
                _pendingAsync.Add(new PendingAsyncAction(actionName, current.EventName, task));
            };
        }
        return bound;
    }

    private Dictionary<string, Func<StatechartActionContext, bool>> BindGuards()
    {
        var bound = new Dictionary<string, Func<StatechartActionContext, bool>>(StringComparer.Ordinal);
        foreach (var (name, guard) in _definition.Guards)
        {
            bound[name] = current =>
            {
                _context.Bind(current);
                return guard(_context);
            };
        }
        return bound;
    }

    private readonly record struct PendingAsyncAction(string Name, string EventName, Task Task);

    /// <summary>Told to the owner when the async actions of a step have completed.</summary>
    internal sealed class AsyncActionsCompleted
    {
        public static readonly AsyncActionsCompleted Instance = new();
    }
}
