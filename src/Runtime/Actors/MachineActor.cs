using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using XStateNet.Actors.Inspection;
using XStateNet.Actors.Statecharts;
using XStateNet.Actors.Telemetry;

namespace XStateNet.Actors;

/// <summary>
/// One statechart as one actor. Each message is one step of the interpreter; the sends its actions request
/// go out when the step completes. While an async action runs, the machine stashes everything but the
/// bookkeeping that delivers its sends, so it never handles two events at once and never blocks a thread.
/// </summary>
internal sealed class MachineActor : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    private readonly MachineDefinition _definition;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<OutgoingSend> _outbox = new();
    private readonly List<PendingAsyncAction> _pendingAsync = new();
    private readonly TargetResolver _targets;
    private readonly StatechartInterpreter _interpreter;
    private readonly OrchestratedContext _context;
    private readonly MachineObservation _observation = MachineObservation.For(Context.System);
    private readonly MachineMeter _meter;
    private readonly MachineHealthState _health;

    public MachineActor(MachineDefinition definition)
    {
        _definition = definition;
        _meter = new MachineMeter(definition.Chart.Id);
        _health = new MachineHealthState(definition.Id);
        var routes = MachineRoutes.For(Context.System);
        _targets = new TargetResolver(Context, this, routes, definition.Id);
        _interpreter = new StatechartInterpreter(definition.Chart, BindActions(), BindGuards(), new StatechartOptions
        {
            Scheduler = new ActorTimerScheduler(this),
            Synchronized = false, // an actor handles one message at a time, and its timers arrive as messages
            Delays = definition.Delays,
            MaxEventlessMicrosteps = definition.MaxEventlessMicrosteps,
            OnExecutionError = LogExecutionError,
        });
        _context = new OrchestratedContext(definition.Id, new MachineStateView(_interpreter), _targets.Describe, _outbox);
        Ready();
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        // Known here before the first step, so a machine it sends to at once can already answer it without a route.
        if (!LocalMachines.For(Context.System).Add(_definition.Id, Self))
            Context.GetLogger().Warning("Machine '{0}': another machine of this node already runs this id; sends by id keep going to that one", _definition.Id);
        var directory = Discovery.HostDirectory.For(Context.System);
        if (directory.Enabled)
        {
            try
            {
                directory.Claim(_definition.Id, Self.Path.ToStringWithoutAddress()); // a no-op when SpawnMachine claimed it
            }
            catch (Exception e) when (e is Discovery.MachineIdTakenException or InvalidOperationException or IOException or TimeoutException or Akka.Configuration.ConfigurationException)
            {
                _log.Warning("Machine '{0}' runs but is not in the host directory: {1}", _definition.Id, e.Message);
            }
        }
        _observation.Register(_definition.Id, _definition.Chart, Self, _health);
        RunStep(source: null, replyTo: null, 0, static (run, _) => run.Start());
    }

    protected override void PostStop()
    {
        LocalMachines.For(Context.System).Remove(_definition.Id, Self);
        Discovery.HostDirectory.For(Context.System).Release(_definition.Id);
        _observation.Unregister(Self);
        base.PostStop();
    }

    private void Ready()
    {
        Receive<MachineEvent>(message =>
        {
            if (UnhandledRuntimeEvent.IsWatched(message.Name))
            {
                if (message.Name == MachineEvents.ErrorCommunication) _meter.Error(message.Name);
                WarnIfUnhandled(message.Name, message.Data);
            }
            _targets.Learn(message.SourceMachineId, Sender);
            RunStep(message.SourceMachineId, Sender, message, static (run, e) => run.Send(e.Name, e.Data));
        });
        Receive<TimerDue>(due => RunStep(source: null, replyTo: null, due, static (_, d) => d.Callback()));
        Receive<GetMachineSnapshot>(_ => Sender.Tell(Snapshot()));
        ReceiveDelivery();
    }

    private void WaitingForAsyncActions()
    {
        Receive<AsyncActionsCompleted>(_ => OnAsyncActionsCompleted());
        Receive<GetMachineSnapshot>(_ => Sender.Tell(Snapshot()));
        ReceiveDelivery();
        ReceiveAny(_ => Stash.Stash());
    }

    /// <summary>Messages that deliver sends already requested; they never run machine code, so they are handled in every state.</summary>
    private void ReceiveDelivery()
    {
        Receive<DelayedSendDue>(due => _targets.Send(due.TargetMachineId, due.Event));
        Receive<ActorIdentity>(identity =>
        {
            if (!_targets.OnIdentity(identity)) Unhandled(identity);
        });
        Receive<ResolveTimedOut>(_targets.OnResolveTimeout);
        Receive<Terminated>(terminated =>
        {
            if (!_targets.OnTerminated(terminated)) Unhandled(terminated);
        });
    }

    /// <summary>
    /// One step of the interpreter, then its requested sends; static lambdas keep the hot path allocation-free. What
    /// observes a step (meter, trace, debug log, inspector) costs a field read each when nobody listens.
    /// </summary>
    private void RunStep<T>(string? source, IActorRef? replyTo, T argument, Action<StatechartInterpreter, T> step)
    {
        _context.SourceMachineId = source;
        _context.ReplySender = replyTo;
        var startedAt = MachineMeter.StepStarted();
        var transitionsBefore = _interpreter.TransitionsTaken;
        var from = _log.IsDebugEnabled ? _interpreter.ActiveStates : null; // a cached list: replaced, never changed, by a step
        var parent = argument is MachineEvent { HasTraceContext: true } received ? received.TraceContext : default;
        var activity = MachineTracing.Source.HasListeners() ? StartActivity(argument, parent) : null;
        _context.TraceContext = activity?.Context ?? parent;
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
        FlushOutbox();
        if (_pendingAsync.Count > 0) AwaitAsyncActions();
        var transitions = _interpreter.TransitionsTaken - transitionsBefore;
        if (from is not null && (transitions > 0 || argument is int)) LogTransition(argument, from); // the start enters states without a transition
        if (_observation.IsObserved)
            Context.System.EventStream.Publish(new MachineStepped(_definition.Id, MachineStepped.NameOf(argument),
                _interpreter.ActiveStates.ToArray(), _interpreter.IsDone, DateTimeOffset.UtcNow));
        _meter.Stepped(handledEvent: argument is not int, transitions, startedAt);
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

    private void FlushOutbox()
    {
        if (_outbox.Count == 0) return;
        foreach (var send in _outbox)
        {
            if (send.Reply is { } reply) _targets.Reply(reply, send.Event);
            else if (send.IsSelf) Self.Tell(send.Event, Self);
            else if (send.Delay > TimeSpan.Zero)
                Timers.StartSingleTimer(new object(), new DelayedSendDue(send.TargetMachineId!, send.Event), send.Delay);
            else _targets.Send(send.TargetMachineId!, send.Event);
        }
        _outbox.Clear();
    }

    private void AwaitAsyncActions()
    {
        var tasks = new Task[_pendingAsync.Count];
        for (var i = 0; i < tasks.Length; i++) tasks[i] = _pendingAsync[i].Task;
        Task.WhenAll(tasks).ContinueWith(static _ => AsyncActionsCompleted.Instance, TaskContinuationOptions.ExecuteSynchronously).PipeTo(Self);
        Become(WaitingForAsyncActions);
    }

    private void OnAsyncActionsCompleted()
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
        Become(Ready);
        FlushOutbox(); // sends requested after the actions' awaits
        foreach (var error in failed)
        {
            RunStep(_definition.Id, Self, error, static (run, e) => run.Send(MachineEvents.ErrorExecution, e));
        }
        Stash.UnstashAll();
    }

    private MachineSnapshot Snapshot() => new(
        _definition.Id,
        _interpreter.ActiveStates.ToArray(),
        _interpreter.IsDone,
        ContextCopy.Of(_interpreter.Context));

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
        _meter.Error(MachineEvents.ErrorExecution);
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

    private sealed class AsyncActionsCompleted
    {
        public static readonly AsyncActionsCompleted Instance = new();
    }
}
