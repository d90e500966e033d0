using Akka.Actor;

namespace XStateNet.Actors;

/// <summary>
/// Delivers a machine's sends by machine id. The first send to an id resolves its path (from the routes) with
/// Akka's <see cref="Identify"/> and watches the actor it finds; later sends go straight to that actor.
/// Sends made while resolving wait in order. An id that resolves to nothing, or does not answer in time,
/// becomes one <c>error.communication</c> per waiting event, carrying its payload; a watched target that
/// terminates becomes one <c>xstatenet.target.terminated</c>, and the next send resolves it afresh.
/// An event for another process is serialized here, once (<see cref="RemoteEventEncoder"/>): one too large for the
/// way there, or that cannot be serialized, becomes <c>error.communication</c> too.
/// </summary>
internal sealed class TargetResolver
{
    private readonly IActorContext _context;
    private readonly IWithTimers _timers;
    private readonly MachineRoutes _routes;
    private readonly string _machineId;
    private readonly RemoteEventEncoder _encoder;
    private readonly Dictionary<string, Target> _targets = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, Target> _watched = new();

    public TargetResolver(IActorContext context, IWithTimers timers, MachineRoutes routes, string machineId)
    {
        _context = context;
        _timers = timers;
        _routes = routes;
        _machineId = machineId;
        _encoder = new RemoteEventEncoder(context.System);
    }

    public void Send(string targetMachineId, MachineEvent message)
    {
        if (!_targets.TryGetValue(targetMachineId, out var target))
        {
            target = new Target(targetMachineId, _routes.Resolve(targetMachineId).Path, _routes.UnreachableReason(targetMachineId));
            _targets.Add(targetMachineId, target);
        }
        if (target.Unreachable is { } unreachable)
        {
            // No transport of this node speaks the route's scheme: say so at once instead of after resolve-timeout.
            RaiseInMachine(MachineEvents.ErrorCommunication, new CommunicationError(targetMachineId, message.Name, message.Data, unreachable));
            return;
        }
        if (target.Actor is { } actor)
        {
            Deliver(target, actor, message);
            return;
        }
        target.Waiting.Enqueue(message);
        if (target.Resolving is null) StartResolving(target);
    }

    /// <summary>True when the answer was ours.</summary>
    public bool OnIdentity(ActorIdentity identity)
    {
        if (identity.MessageId is not ResolveAttempt attempt || !IsCurrent(attempt, out var target)) return identity.MessageId is ResolveAttempt;
        _timers.Timers.Cancel(target.Resolving!);
        target.Resolving = null;
        if (identity.Subject is not { } actor)
        {
            FailWaiting(target, $"no actor answers at {target.Path}");
            return true;
        }
        target.Actor = actor;
        _watched[actor] = target;
        _context.Watch(actor);
        while (target.Waiting.TryDequeue(out var message)) Deliver(target, actor, message);
        return true;
    }

    public void OnResolveTimeout(ResolveTimedOut timeout)
    {
        if (!IsCurrent(timeout.Attempt, out var target)) return;
        target.Resolving = null;
        FailWaiting(target, $"{target.Path} did not answer within {_routes.ResolveTimeout.TotalSeconds:0.###} s");
    }

    /// <summary>True when the terminated actor was one of our targets.</summary>
    public bool OnTerminated(Terminated terminated)
    {
        if (!_watched.Remove(terminated.ActorRef, out var target)) return false;
        // Equal, not the same instance: a Terminated from the remote side carries a deserialized copy of the ref.
        if (terminated.ActorRef.Equals(target.Actor)) target.Actor = null;
        RaiseInMachine(MachineEvents.TargetTerminated, new MachineTerminated(target.MachineId, target.Path));
        return true;
    }

    /// <summary>Tells the target the event (as it is when local, encoded when remote), or raises why it cannot go.</summary>
    private void Deliver(Target target, IActorRef actor, MachineEvent message)
    {
        if (_encoder.Encode(message, actor, _context.Self, out var refusal) is { } outgoing)
        {
            actor.Tell(outgoing, _context.Self);
            return;
        }
        RaiseInMachine(MachineEvents.ErrorCommunication, new CommunicationError(target.MachineId, message.Name, message.Data, refusal!));
    }

    private void StartResolving(Target target)
    {
        var attempt = new ResolveAttempt(target.MachineId, ++target.Attempts);
        _context.ActorSelection(target.Path).Tell(new Identify(attempt), _context.Self);
        target.Resolving = attempt;
        _timers.Timers.StartSingleTimer(attempt, new ResolveTimedOut(attempt), _routes.ResolveTimeout);
    }

    private bool IsCurrent(ResolveAttempt attempt, out Target target) =>
        _targets.TryGetValue(attempt.MachineId, out target!) && target.Resolving is not null && target.Attempts == attempt.Number;

    private void FailWaiting(Target target, string reason)
    {
        while (target.Waiting.TryDequeue(out var message))
        {
            RaiseInMachine(MachineEvents.ErrorCommunication, new CommunicationError(target.MachineId, message.Name, message.Data, reason));
        }
    }

    /// <summary>Through the mailbox, so the event waits its turn (and behind a running async action) like any other.</summary>
    private void RaiseInMachine(string eventName, object data) =>
        _context.Self.Tell(new MachineEvent(eventName, data) { SourceMachineId = _machineId }, _context.Self);

    private sealed class Target(string machineId, string path, string? unreachable)
    {
        public string MachineId { get; } = machineId;
        public string Path { get; } = path;
        /// <summary>Why no transport of this node reaches the path, or null.</summary>
        public string? Unreachable { get; } = unreachable;
        public IActorRef? Actor { get; set; }
        /// <summary>The attempt under way (also its timeout timer's key), or null.</summary>
        public ResolveAttempt? Resolving { get; set; }
        public int Attempts { get; set; }
        public Queue<MachineEvent> Waiting { get; } = new();
    }
}

/// <summary>The correlation id of one <see cref="Identify"/> sent to resolve a machine id.</summary>
internal sealed record ResolveAttempt(string MachineId, int Number);

/// <summary>Told to the machine when an <see cref="Identify"/> got no answer in time.</summary>
internal sealed record ResolveTimedOut(ResolveAttempt Attempt);
