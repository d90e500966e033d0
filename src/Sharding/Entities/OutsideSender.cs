using Akka.Actor;
using Akka.Event;

namespace XStateNet.Actors.Sharding;

/// <summary>
/// The acknowledged channels of code outside machines (<see cref="ShardedMachines.SendAsync"/>): one actor per actor
/// system, whose sends go out exactly as a machine's sends to sharded ids do (<see cref="AcknowledgedSends"/>:
/// numbered, sent again until the target stored its new state, applied once), and which completes each caller's task
/// on the acknowledgement, or fails it when the channel gives up.
/// </summary>
internal sealed class OutsideSender : ReceiveActor, IWithTimers
{
    /// <summary>The channel names' sender part: "outside/" plus a random incarnation, so no machine's channel is ever the same.</summary>
    internal const string ChannelOwner = "outside";

    // Keyed by the very instance sent (each send is a copy of the caller's event), so one event sent twice is two sends.
    private readonly Dictionary<MachineEvent, TaskCompletionSource> _waiting = new(ReferenceEqualityComparer.Instance);
    private readonly AcknowledgedSends _sends;
    private readonly MachineRoutes _routes;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ITimerScheduler Timers { get; set; } = null!;

    public OutsideSender()
    {
        _routes = MachineRoutes.For(Context.System);
        _sends = new AcknowledgedSends(Context, this, _routes, ChannelOwner,
            (_, message, reason) => Complete(message)?.TrySetException(new TimeoutException(reason)),
            (_, message) => Complete(message)?.TrySetResult());

        Receive<Send>(send =>
        {
            if (!_routes.TryGetPrefixRoute(send.MachineId, out var route) || !route.Acknowledged)
            {
                send.Done.TrySetException(new InvalidOperationException(
                    $"machine '{send.MachineId}' has no acknowledging prefix route here: start its sharded type on this node first"));
                return;
            }
            var sent = send.Event with { };
            _waiting.Add(sent, send.Done);
            _sends.Send(route, send.MachineId, sent);
        });
        Receive<EventAcknowledged>(acknowledged =>
        {
            if (!_sends.OnAcknowledged(acknowledged)) Unhandled(acknowledged);
        });
        Receive<RedeliveryDue>(_ => _sends.OnRedeliveryDue());
        // A machine's Reply to an event sent from outside comes here: nobody waits for it (a machine sender would get it).
        Receive<MachineEvent>(reply => _log.Debug("reply '{0}' from {1} to an outside send: not delivered to anyone (send from a machine to receive replies)",
            reply.Name, reply.SourceMachineId ?? Sender.Path.ToString()));
    }

    private TaskCompletionSource? Complete(MachineEvent sent) => _waiting.Remove(sent, out var done) ? done : null;

    protected override void PostStop()
    {
        foreach (var done in _waiting.Values)
            done.TrySetException(new InvalidOperationException("the actor system stopped before the event was acknowledged; it may have been applied, never twice"));
        _waiting.Clear();
    }

    /// <summary>Send <see cref="Event"/> to <see cref="MachineId"/>; complete <see cref="Done"/> on its acknowledgement.</summary>
    internal sealed record Send(string MachineId, MachineEvent Event, TaskCompletionSource Done);
}
