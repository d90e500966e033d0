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
    private readonly ConcurrentDictionary<PeerKey, PeerState> _peers = new();

    /// <summary>The liveness registry of <paramref name="system"/>.</summary>
    public static PeerLiveness For(ActorSystem system) => system.WithExtension<PeerLiveness, PeerLivenessProvider>();

    /// <summary>
    /// Records that process <paramref name="processId"/>, which answered at <paramref name="remote"/>, is gone. The
    /// address may be given as the transport sees it (<c>pipe://sys@host:port</c>) or as Akka does
    /// (<c>akka.pipe://sys@host:port</c>). A late report about an old process is ignored once another process has
    /// been reported alive at the same address: a restarted peer must not inherit its predecessor's death.
    /// </summary>
    public void ReportGone(Address remote, int processId, string reason)
    {
        ArgumentNullException.ThrowIfNull(remote);
        _peers.AddOrUpdate(PeerKey.Of(remote),
            static (_, report) => new PeerState(null, report.reason),
            static (_, current, report) => current.AliveProcessId is { } alive && alive != report.processId
                ? current
                : current with { GoneReason = report.reason },
            (processId, reason));
    }

    /// <summary>
    /// Records that process <paramref name="processId"/> now answers at <paramref name="remote"/>, forgetting an
    /// earlier <see cref="ReportGone"/> about the address.
    /// </summary>
    public void ReportAlive(Address remote, int processId)
    {
        ArgumentNullException.ThrowIfNull(remote);
        _peers[PeerKey.Of(remote)] = new PeerState(processId, null);
    }

    /// <summary>Whether a transport has reported the process behind <paramref name="address"/> gone.</summary>
    public bool IsKnownGone(Address address) => GoneReason(address) is not null;

    /// <summary>Why the process behind <paramref name="address"/> was reported gone, or null.</summary>
    public string? GoneReason(Address address) =>
        !_peers.IsEmpty && _peers.TryGetValue(PeerKey.Of(address), out var state) ? state.GoneReason : null;

    private sealed record PeerState(int? AliveProcessId, string? GoneReason);

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
