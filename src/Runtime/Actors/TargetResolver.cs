using Akka.Actor;
using XStateNet.Actors.Discovery;

namespace XStateNet.Actors;

/// <summary>
/// Delivers a machine's sends by machine id. The first send to an id resolves it, in this order: its route
/// (<see cref="MachineRoutes"/>, HOCON or set at run time), a machine of this node, the sender that id last sent
/// this machine an event from (<see cref="LearnedSenders"/>), the host directory (<see cref="HostDirectory"/>),
/// and last <c>/user/&lt;id&gt;</c> here. A path is found with Akka's <see cref="Identify"/>; the actor found is
/// watched and later sends go straight to it, so the routes and the directory are read once per id, not per send.
/// Sends made while resolving wait in order. An id that resolves to nothing, or does not answer in time, becomes
/// one <c>error.communication</c> per waiting event, carrying its payload; a watched target that terminates
/// becomes one <c>xstatenet.target.terminated</c>, and the next send resolves it afresh (a process restarted on
/// another port is found again through the directory). A changed route is noticed on the next send.
/// An event for another process is serialized here, once (<see cref="RemoteEventEncoder"/>): one too large for the
/// way there, or that cannot be serialized, becomes <c>error.communication</c> too.
/// </summary>
internal sealed class TargetResolver
{
    private readonly IActorContext _context;
    private readonly IWithTimers _timers;
    private readonly MachineRoutes _routes;
    private readonly LocalMachines _local;
    private readonly HostDirectory? _directory;
    private readonly LearnedSenders _learned;
    private readonly string _machineId;
    private readonly RemoteEventEncoder _encoder;
    private readonly Dictionary<string, Target> _targets = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, Target> _watched = new();
    private readonly AcknowledgedSends _acknowledged;

    public TargetResolver(IActorContext context, IWithTimers timers, MachineRoutes routes, string machineId)
    {
        _context = context;
        _timers = timers;
        _routes = routes;
        _machineId = machineId;
        _local = LocalMachines.For(context.System);
        _directory = HostDirectory.For(context.System) is { Enabled: true } directory ? directory : null;
        _learned = new LearnedSenders(routes.LearnedSendersPerMachine);
        _encoder = new RemoteEventEncoder(context.System);
        _acknowledged = new AcknowledgedSends(context, timers, routes, machineId,
            (target, message, reason) => RaiseInMachine(MachineEvents.ErrorCommunication, new CommunicationError(target, message.Name, message.Data, reason)));
    }

    /// <summary>Sends to acknowledging prefix routes not acknowledged yet.</summary>
    public int Unacknowledged => _acknowledged.Unacknowledged;

    /// <summary>True when the acknowledgement was for this machine.</summary>
    public bool OnAcknowledged(EventAcknowledged acknowledged) => _acknowledged.OnAcknowledged(acknowledged);

    public void OnRedeliveryDue() => _acknowledged.OnRedeliveryDue();

    public void Send(string targetMachineId, MachineEvent message)
    {
        if (_routes.TryGetPrefixRoute(targetMachineId, out var prefixed))
        {
            // A shard region finds (or starts) the machine wherever it lives; it buffers while a shard moves, but may
            // drop on a hand-off, hence acknowledged channels when the route asks for them.
            if (prefixed.Acknowledged) _acknowledged.Send(prefixed, targetMachineId, message);
            else prefixed.Target.Tell(prefixed.Address(targetMachineId, message), _context.Self);
            return;
        }
        if (!_targets.TryGetValue(targetMachineId, out var target))
        {
            target = new Target(targetMachineId);
            _targets.Add(targetMachineId, target);
        }
        if (target.RoutesVersion != _routes.Version && target.Resolving is null) Detach(target); // re-pointed: resolve again
        if (target.Actor is { } actor)
        {
            Deliver(target.MachineId, actor, message);
            return;
        }
        target.Waiting.Enqueue(message);
        if (target.Resolving is null) StartResolving(target);
    }

    /// <summary>Sends to the sender of the event being handled, or raises why there is none.</summary>
    public void Reply(ReplyAddress reply, MachineEvent message)
    {
        if (reply.SourceMachineId is { } source && _routes.TryGetPrefixRoute(source, out var prefixed))
        {
            // Through the region, not to the sender's ref: that entity may have been passivated or moved since.
            if (prefixed.Acknowledged) _acknowledged.Send(prefixed, source, message);
            else prefixed.Target.Tell(prefixed.Address(source, message), _context.Self);
            return;
        }
        if (reply.Sender is not { } sender || sender.IsNobody())
        {
            RaiseInMachine(MachineEvents.ErrorCommunication, new CommunicationError(reply.TargetName, message.Name, message.Data,
                $"no one to reply to: '{reply.HandledEvent}' was told with no sender (ActorRefs.NoSender) or raised by a timer; " +
                "tell the event with a sender, or RequestSend to a machine id"));
            return;
        }
        Deliver(reply.TargetName, sender, message);
    }

    /// <summary>
    /// Notes where an inbound event came from, so a send to its source id finds the way back without a route.
    /// Per message: one dictionary lookup, unless the sender is new or has changed.
    /// </summary>
    public void Learn(string? sourceMachineId, IActorRef sender)
    {
        if (sourceMachineId is null || sender.IsNobody() || sender.Equals(_context.Self)) return;
        if (_routes.TryGetPrefixRoute(sourceMachineId, out _)) return; // found through its region, never by a learned ref
        var (watch, forgotten) = _learned.Learn(sourceMachineId, sender);
        if (watch is not null) _context.Watch(watch);
        if (forgotten is not null) UnwatchIfUnused(forgotten);
    }

    /// <summary>Where a send to <paramref name="machineId"/> would go now, in the order <see cref="StartResolving"/> looks.</summary>
    public TargetProcessInfo Describe(string machineId)
    {
        var routed = _routes.Resolve(machineId);
        if (routed.IsRouted) return routed;
        if (_routes.TryGetPrefixRoute(machineId, out var prefixed))
        {
            var region = prefixed.Target.Path;
            return new TargetProcessInfo(machineId, region.ToString(), region.Address.ToString(),
                IsLocal: region.Address == _routes.LocalAddress || !region.Address.HasGlobalScope, IsRouted: true);
        }
        if (_local.TryGet(machineId, out var machine) || _learned.TryGet(machineId, out machine)) return Info(machineId, machine.Path);
        if (_directory?.Find(machineId, address => _routes.UnreachableReason(address) is null) is { } listed) return Info(machineId, listed.Path);
        return routed;
    }

    private TargetProcessInfo Info(string machineId, ActorPath path) =>
        new(machineId, path.ToString(), path.Address.ToString(), path.Address == _routes.LocalAddress || !path.Address.HasGlobalScope, IsRouted: false);

    /// <summary>True when the answer was ours.</summary>
    public bool OnIdentity(ActorIdentity identity)
    {
        if (identity.MessageId is not ResolveAttempt attempt || !IsCurrent(attempt, out var target)) return identity.MessageId is ResolveAttempt;
        _timers.Timers.Cancel(target.Resolving!);
        target.Resolving = null;
        if (identity.Subject is not { } actor)
        {
            FailWaiting(target, $"no actor answers at {target.Path}{target.FoundThrough}");
            return true;
        }
        Attach(target, actor);
        return true;
    }

    public void OnResolveTimeout(ResolveTimedOut timeout)
    {
        if (!IsCurrent(timeout.Attempt, out var target)) return;
        target.Resolving = null;
        FailWaiting(target, $"{target.Path}{target.FoundThrough} did not answer within {_routes.ResolveTimeout.TotalSeconds:0.###} s");
    }

    /// <summary>True when the terminated actor was one of our targets or learned senders.</summary>
    public bool OnTerminated(Terminated terminated)
    {
        var wasLearned = _learned.Forget(terminated.ActorRef);
        if (!_watched.Remove(terminated.ActorRef, out var target)) return wasLearned;
        // Equal, not the same instance: a Terminated from the remote side carries a deserialized copy of the ref.
        if (terminated.ActorRef.Equals(target.Actor)) target.Actor = null;
        RaiseInMachine(MachineEvents.TargetTerminated, new MachineTerminated(target.MachineId, target.Path));
        return true;
    }

    /// <summary>Tells the target the event (as it is when local, encoded when remote), or raises why it cannot go.</summary>
    private void Deliver(string targetName, IActorRef actor, MachineEvent message)
    {
        if (_encoder.Encode(message, actor, _context.Self, out var refusal) is { } outgoing)
        {
            actor.Tell(outgoing, _context.Self);
            return;
        }
        RaiseInMachine(MachineEvents.ErrorCommunication, new CommunicationError(targetName, message.Name, message.Data, refusal!));
    }

    private void StartResolving(Target target)
    {
        target.RoutesVersion = _routes.Version;
        var id = target.MachineId;
        if (_routes.TryGetRoute(id, out var routed))
        {
            if (_routes.UnreachableReason(routed.Address) is { } unreachable)
            {
                // No transport of this node speaks the route's scheme: say so at once instead of after resolve-timeout.
                target.Path = routed.ToString();
                FailWaiting(target, unreachable);
                return;
            }
            Identify(target, routed, "");
            return;
        }
        if (_local.TryGet(id, out var machine) || _learned.TryGet(id, out machine))
        {
            target.Path = machine.Path.ToString();
            Attach(target, machine);
            return;
        }
        if (_directory?.Find(id, address => _routes.UnreachableReason(address) is null) is { } listed)
        {
            Identify(target, listed.Path, $" (listed in the host directory by {listed.Owner})");
            return;
        }
        Identify(target, new RootActorPath(_routes.LocalAddress) / "user" / id,
            _directory is null ? " (no route, no such machine on this node, none heard from)" : " (no route, and not in the host directory)");
    }

    private void Identify(Target target, ActorPath path, string foundThrough)
    {
        target.Path = path.ToString();
        target.FoundThrough = foundThrough;
        var attempt = new ResolveAttempt(target.MachineId, ++target.Attempts);
        _context.ActorSelection(path).Tell(new Identify(attempt), _context.Self);
        target.Resolving = attempt;
        _timers.Timers.StartSingleTimer(attempt, new ResolveTimedOut(attempt), _routes.ResolveTimeout);
    }

    private void Attach(Target target, IActorRef actor)
    {
        target.Actor = actor;
        _watched[actor] = target;
        _context.Watch(actor);
        while (target.Waiting.TryDequeue(out var message)) Deliver(target.MachineId, actor, message);
    }

    private void Detach(Target target)
    {
        if (target.Actor is not { } actor) return;
        target.Actor = null;
        _watched.Remove(actor);
        UnwatchIfUnused(actor);
    }

    private void UnwatchIfUnused(IActorRef actor)
    {
        if (!_watched.ContainsKey(actor) && !_learned.Remembers(actor)) _context.Unwatch(actor);
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

    private sealed class Target(string machineId)
    {
        public string MachineId { get; } = machineId;
        /// <summary>Where it was last looked for.</summary>
        public string Path { get; set; } = "";
        /// <summary>How that path was found, for error messages (starts with a space), or empty.</summary>
        public string FoundThrough { get; set; } = "";
        public IActorRef? Actor { get; set; }
        /// <summary>The routes' version it was resolved with; another one means: resolve again.</summary>
        public int RoutesVersion { get; set; } = -1;
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
