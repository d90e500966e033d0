using Akka.Actor;
using XStateNet.Actors.Transport;

namespace XStateNet.Actors.Inspection;

/// <summary>The page's view of this node's same-host transports: where they listen, and each peer alive or gone.</summary>
internal sealed record TransportView(IReadOnlyList<string> Listening, IReadOnlyList<PeerStatus> Peers)
{
    public static TransportView Of(ActorSystem system)
    {
        var liveness = PeerLiveness.For(system);
        return new TransportView(liveness.Listening.Select(a => a.ToString()).ToArray(), liveness.Peers);
    }
}
