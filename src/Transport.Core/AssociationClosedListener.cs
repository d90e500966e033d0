using Akka.Actor;
using Akka.Remote;

namespace XStateNet.Actors.Transport;

/// <summary>
/// Tells <see cref="PeerLiveness"/> each time Akka closes an association (an endpoint writer stopped and published
/// <see cref="DisassociatedEvent"/>), so a verdict about a gone peer waits until Akka has let go of it.
/// </summary>
internal sealed class AssociationClosedListener : ReceiveActor
{
    public AssociationClosedListener(PeerLiveness liveness)
    {
        Receive<DisassociatedEvent>(closed => liveness.NoteAssociationClosed(closed.RemoteAddress));
    }

    public static Props Props(PeerLiveness liveness) => Akka.Actor.Props.Create(() => new AssociationClosedListener(liveness));

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(DisassociatedEvent));

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}
