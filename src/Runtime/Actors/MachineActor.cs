using Akka.Actor;
using Akka.Event;
using XStateNet.Actors.Inspection;
using XStateNet.Actors.Statecharts;

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

    public MachineActor(MachineDefinition definition)
    {
        _definition = definition;
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
        _context = new OrchestratedContext(definition.Id, new MachineStateView(_interpreter), routes, _outbox);
        Ready();
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        _observation.Register(_definition.Id, _definition.Chart, Self);
        RunStep(source: null, 0, static (run, _) => run.Start());
    }

    protected override void PostStop() => _observation.Unregister(Self);

    private void Ready()
    {
        Receive<MachineEvent>(message =>
        {
            if (message is { Name: MachineEvents.ErrorCommunication, Data: CommunicationError error }) WarnIfUnhandled(error);
            RunStep(message.SourceMachineId, message, static (run, e) => run.Send(e.Name, e.Data));
        });
        Receive<TimerDue>(due => RunStep(source: null, due, static (_, d) => d.Callback()));
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

    /// <summary>One step of the interpreter, then its requested sends; static lambdas keep the hot path allocation-free.</summary>
    private void RunStep<T>(string? source, T argument, Action<StatechartInterpreter, T> step)
    {
        _context.SourceMachineId = source;
        try
        {
            step(_interpreter, argument);
        }
        catch (StatechartRuntimeException e)
        {
            _log.Error(e, "Machine '{0}' stopped its step: {1}", _definition.Id, e.Message);
        }
        FlushOutbox();
        if (_pendingAsync.Count > 0) AwaitAsyncActions();
        if (_observation.IsObserved)
            Context.System.EventStream.Publish(new MachineStepped(_definition.Id, MachineStepped.NameOf(argument),
                _interpreter.ActiveStates.ToArray(), _interpreter.IsDone, DateTimeOffset.UtcNow));
    }

    private void FlushOutbox()
    {
        if (_outbox.Count == 0) return;
        foreach (var send in _outbox)
        {
            if (send.IsSelf) Self.Tell(send.Event, Self);
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
            RunStep(_definition.Id, error, static (run, e) => run.Send(MachineEvents.ErrorExecution, e));
        }
        Stash.UnstashAll();
    }

    private MachineSnapshot Snapshot() => new(
        _definition.Id,
        _interpreter.ActiveStates.ToArray(),
        _interpreter.IsDone,
        ContextCopy.Of(_interpreter.Context));

    /// <summary>Nothing silent: a failed send the chart has no transition for is at least in the log.</summary>
    private void WarnIfUnhandled(CommunicationError error)
    {
        if (ActiveTransitions.Handle(_definition.Chart, _interpreter.ActiveStates, MachineEvents.ErrorCommunication)) return;
        _log.Warning("Machine '{0}' could not send '{1}' to '{2}': {3} ({4} is not handled in state {5})",
            _definition.Id, error.EventName, error.TargetMachineId, error.Reason, MachineEvents.ErrorCommunication,
            string.Join(", ", _interpreter.ActiveStates));
    }

    private void LogExecutionError(StatechartExecutionError error) =>
        _log.Error(error.Exception, "Machine '{0}': {1} '{2}' threw while handling '{3}'; raised {4}",
            _definition.Id, error.IsGuard ? "guard" : "action", error.Name, error.EventName, MachineEvents.ErrorExecution);

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
