using System.Collections.Concurrent;
using Akka.Actor;

namespace XStateNet.Actors.Transport.SameHost;

/// <summary>
/// Which medium each of this node's associations runs on: the shared-memory ring (a peer on this host) or Akka's TCP.
/// Counted per peer as the associations are made, both directions; what operators and tests read to see the fast path work.
/// </summary>
/// <remarks>
/// An inbound TCP association is counted under the address Akka's TCP transport gives it, the connecting socket's
/// (<c>tcp://system@ip:ephemeral-port</c>), because the peer's own address only arrives later, in Akka's handshake.
/// </remarks>
public sealed class SameHostPaths : IExtension
{
    private readonly ConcurrentDictionary<PeerKey, Counts> _peers = new();

    internal SameHostPaths()
    {
    }

    /// <summary>The counters of <paramref name="system"/>.</summary>
    public static SameHostPaths For(ActorSystem system) => system.WithExtension<SameHostPaths, SameHostPathsProvider>();

    /// <summary>Every peer an association was made with, and how many ran on the ring and on TCP.</summary>
    public IReadOnlyList<PeerPaths> Snapshot() =>
        [.. _peers.Select(p => new PeerPaths(
            new Address("akka." + p.Key.Protocol, p.Key.System, p.Key.Host, p.Key.Port),
            Volatile.Read(ref p.Value.Ring), Volatile.Read(ref p.Value.Tcp)))];

    /// <summary>How many associations with <paramref name="peer"/> ran on the ring (either address form: <c>tcp://</c> or <c>akka.tcp://</c>).</summary>
    public int RingAssociations(Address peer) => _peers.TryGetValue(PeerKey.Of(peer), out var c) ? Volatile.Read(ref c.Ring) : 0;

    /// <summary>How many associations with <paramref name="peer"/> ran on TCP.</summary>
    public int TcpAssociations(Address peer) => _peers.TryGetValue(PeerKey.Of(peer), out var c) ? Volatile.Read(ref c.Tcp) : 0;

    internal void Count(Address peer, bool ring)
    {
        var counts = _peers.GetOrAdd(PeerKey.Of(peer), static _ => new Counts());
        if (ring) Interlocked.Increment(ref counts.Ring);
        else Interlocked.Increment(ref counts.Tcp);
    }

    /// <summary>The peers at least one ring association was made with.</summary>
    internal IEnumerable<PeerKey> RingPeers => _peers.Where(p => Volatile.Read(ref p.Value.Ring) > 0).Select(p => p.Key);

    private sealed class Counts
    {
        public int Ring;
        public int Tcp;
    }
}

/// <summary>One peer of <see cref="SameHostPaths.Snapshot"/>.</summary>
/// <param name="Peer">The peer's address (<c>akka.tcp://system@host:port</c>).</param>
/// <param name="Ring">Associations made with it over the shared-memory ring.</param>
/// <param name="Tcp">Associations made with it over Akka's TCP.</param>
public sealed record PeerPaths(Address Peer, int Ring, int Tcp);

/// <summary>Creates the <see cref="SameHostPaths"/> extension.</summary>
public sealed class SameHostPathsProvider : ExtensionIdProvider<SameHostPaths>
{
    /// <inheritdoc />
    public override SameHostPaths CreateExtension(ExtendedActorSystem system) => new();
}
