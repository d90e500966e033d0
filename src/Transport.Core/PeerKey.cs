using Akka.Actor;

namespace XStateNet.Actors.Transport;

/// <summary>
/// A peer's address with Akka's <c>akka.</c> protocol prefix removed, so that the address a transport sees
/// (<c>pipe://sys@host:port</c>) and the one Akka uses (<c>akka.pipe://sys@host:port</c>) name the same peer.
/// </summary>
internal readonly record struct PeerKey(string Protocol, string System, string? Host, int? Port)
{
    private const string AkkaPrefix = "akka.";

    public static PeerKey Of(Address address)
    {
        var protocol = address.Protocol.StartsWith(AkkaPrefix, StringComparison.Ordinal)
            ? address.Protocol[AkkaPrefix.Length..]
            : address.Protocol;
        return new PeerKey(protocol, address.System, address.Host, address.Port);
    }
}
