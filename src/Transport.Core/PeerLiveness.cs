using System.Collections.Concurrent;
using Akka.Actor;

namespace XStateNet.Actors.Transport;

/// <summary>
/// What this node's transports know for certain about their peers' processes.
/// </summary>
/// <remarks>
/// Akka's remote DeathWatch only fires when its heartbeat failure detector gives up, which must be slow enough
/// to survive a long GC pause. A same-host transport often knows much more: a pipe that hits end-of-stream
/// without the peer's goodbye, or a peer process id that no longer exists, means the peer is gone, not slow.
/// Transports report that here; <see cref="LivenessAwareRemoteActorRefProvider"/> lets the remote watcher act on it.
/// </remarks>
public sealed class PeerLiveness : IExtension
{
    private readonly ConcurrentDictionary<PeerKey, string> _gone = new();

    /// <summary>The liveness registry of <paramref name="system"/>.</summary>
    public static PeerLiveness For(ActorSystem system) => system.WithExtension<PeerLiveness, PeerLivenessProvider>();

    /// <summary>
    /// Records that the process behind <paramref name="remote"/> is gone. The address may be given as the
    /// transport sees it (<c>pipe://sys@host:port</c>) or as Akka does (<c>akka.pipe://sys@host:port</c>).
    /// </summary>
    public void ReportGone(Address remote, string reason)
    {
        ArgumentNullException.ThrowIfNull(remote);
        _gone[PeerKey.Of(remote)] = reason;
    }

    /// <summary>Forgets an earlier <see cref="ReportGone"/>: a new process now answers at <paramref name="remote"/>.</summary>
    public void ReportAlive(Address remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        _gone.TryRemove(PeerKey.Of(remote), out _);
    }

    /// <summary>Whether a transport has reported the process behind <paramref name="address"/> gone.</summary>
    public bool IsKnownGone(Address address) => !_gone.IsEmpty && _gone.ContainsKey(PeerKey.Of(address));

    /// <summary>Why the process behind <paramref name="address"/> was reported gone, or null.</summary>
    public string? GoneReason(Address address) => _gone.TryGetValue(PeerKey.Of(address), out var reason) ? reason : null;

    private readonly record struct PeerKey(string Protocol, string System, string? Host, int? Port)
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
}

/// <summary>Creates the <see cref="PeerLiveness"/> extension.</summary>
public sealed class PeerLivenessProvider : ExtensionIdProvider<PeerLiveness>
{
    /// <inheritdoc />
    public override PeerLiveness CreateExtension(ExtendedActorSystem system) => new();
}
