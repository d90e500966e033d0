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
    /// <summary>
    /// How long a verdict waits after Akka last closed an association with the peer. Akka's endpoint manager
    /// learns that an old endpoint stopped a few actor hops after the close is published, and a peer may have had
    /// two (one each way) closing at about the same time; a quarantine that reaches the manager before that races
    /// with it and can leave the next association to the restarted peer unregistered.
    /// </summary>
    internal static readonly TimeSpan SettleAfterClose = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a verdict waits at most for Akka to close an association (there may be none to close).</summary>
    internal static readonly TimeSpan SettleWithoutClose = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<PeerKey, PeerState> _peers = new();
    private readonly ConcurrentDictionary<PeerKey, PeerTraffic[]> _traffic = new();
    private readonly ConcurrentDictionary<PeerKey, Address> _addresses = new();
    private readonly ConcurrentDictionary<string, Address> _listening = new(StringComparer.Ordinal);
    private readonly Func<long> _clockMs;

    internal PeerLiveness(Func<long> clockMs) => _clockMs = clockMs;

    /// <summary>The liveness registry of <paramref name="system"/>.</summary>
    public static PeerLiveness For(ActorSystem system) => system.WithExtension<PeerLiveness, PeerLivenessProvider>();

    /// <summary>
    /// Records that process <paramref name="processId"/>, which answered at <paramref name="remote"/>, is gone. The
    /// address may be given as the transport sees it (<c>pipe://sys@host:port</c>) or as Akka does
    /// (<c>akka.pipe://sys@host:port</c>). A late report about an old process is ignored once another process has
    /// been reported alive at the same address: a restarted peer must not inherit its predecessor's death.
    /// </summary>
    /// <remarks>
    /// Report before telling Akka the association ended: the verdict takes effect (<see cref="CanDeclareDead"/>)
    /// once Akka has closed its association with the address, see <see cref="NoteAssociationClosed"/>.
    /// </remarks>
    public void ReportGone(Address remote, int processId, string reason)
    {
        ArgumentNullException.ThrowIfNull(remote);
        _addresses.TryAdd(PeerKey.Of(remote), remote);
        _peers.AddOrUpdate(PeerKey.Of(remote),
            static (_, report) => PeerState.Gone(null, report.reason, report.now),
            static (_, current, report) => current.AliveProcessId is { } alive && alive != report.processId
                ? current
                : current.GoneReason is null ? PeerState.Gone(current.AliveProcessId, report.reason, report.now) : current,
            (processId, reason, now: _clockMs()));
    }

    /// <summary>
    /// Records that process <paramref name="processId"/> now answers at <paramref name="remote"/>, forgetting an
    /// earlier <see cref="ReportGone"/> about the address.
    /// </summary>
    public void ReportAlive(Address remote, int processId)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var key = PeerKey.Of(remote);
        _addresses.TryAdd(key, remote);
        _peers[key] = new PeerState(processId, null, 0, 0);
    }

    /// <summary>The same-host transports of this node that listen, with their addresses (for health checks and tools).</summary>
    public IReadOnlyList<Address> Listening => _listening.Values.OrderBy(a => a.ToString(), StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Every peer a transport of this node has heard of: alive (a process answered at its address and was not
    /// reported gone since) or gone, with why; for health checks and tools.
    /// </summary>
    public IReadOnlyList<PeerStatus> Peers => _peers
        .Select(p => new PeerStatus(_addresses.TryGetValue(p.Key, out var address) ? address.ToString() : p.Key.ToString(),
            p.Value.AliveProcessId, p.Value.GoneReason))
        .OrderBy(p => p.Address, StringComparer.Ordinal)
        .ToArray();

    /// <summary>Records that a transport of this node listens at <paramref name="address"/> (until <see cref="NoteStopped"/>).</summary>
    internal void NoteListening(string scheme, Address address) => _listening[scheme] = address;

    /// <summary>Records that the transport of <paramref name="scheme"/> stopped listening.</summary>
    internal void NoteStopped(string scheme) => _listening.TryRemove(scheme, out _);

    /// <summary>
    /// Records that Akka closed an association with <paramref name="remote"/> (an endpoint writer stopped); called
    /// for each <c>DisassociatedEvent</c> by <see cref="LivenessAwareRemoteActorRefProvider"/>. After a gone report,
    /// each close starts the settling time again, so the verdict waits for the last of the peer's endpoints.
    /// </summary>
    public void NoteAssociationClosed(Address remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var key = PeerKey.Of(remote);
        while (_peers.TryGetValue(key, out var state) && state.GoneReason is not null)
        {
            if (_peers.TryUpdate(key, state with { ClosedAtMs = Math.Max(1, _clockMs()) }, state)) return;
        }
    }

    /// <summary>Whether a transport has reported the process behind <paramref name="address"/> gone.</summary>
    public bool IsKnownGone(Address address) => GoneReason(address) is not null;

    /// <summary>
    /// Whether the remote watcher may declare <paramref name="address"/> dead now: its process was reported gone, and
    /// Akka last closed an association with it at least <see cref="SettleAfterClose"/> ago, or no close came within
    /// <see cref="SettleWithoutClose"/>.
    /// </summary>
    public bool CanDeclareDead(Address address)
    {
        if (_peers.IsEmpty || !_peers.TryGetValue(PeerKey.Of(address), out var state) || state.GoneReason is null) return false;
        var now = _clockMs();
        return state.ClosedAtMs != 0
            ? now - state.ClosedAtMs >= (long)SettleAfterClose.TotalMilliseconds
            : now - state.GoneAtMs >= (long)SettleWithoutClose.TotalMilliseconds;
    }

    /// <summary>
    /// Starts tracking when an association with <paramref name="remote"/> last received bytes from it; the transport
    /// calls <see cref="PeerTraffic.Heard"/> as it delivers, and disposes the tracker when the association closes.
    /// </summary>
    internal PeerTraffic TrackTraffic(Address remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var key = PeerKey.Of(remote);
        var traffic = new PeerTraffic(_clockMs, t => _traffic.AddOrUpdate(key, [], (_, all) => all.Where(x => x != t).ToArray()));
        _traffic.AddOrUpdate(key, [traffic], (_, all) => [.. all, traffic]);
        return traffic;
    }

    /// <summary>
    /// Whether any open association with <paramref name="address"/> received bytes from it within
    /// <paramref name="window"/>: the peer's process is running, whatever Akka's (possibly queued) heartbeats say.
    /// </summary>
    public bool HeardWithin(Address address, TimeSpan window)
    {
        if (_traffic.IsEmpty || !_traffic.TryGetValue(PeerKey.Of(address), out var all)) return false;
        var now = _clockMs();
        foreach (var traffic in all)
        {
            if (now - traffic.LastHeardMs <= (long)window.TotalMilliseconds) return true;
        }

        return false;
    }

    /// <summary>Why the process behind <paramref name="address"/> was reported gone, or null.</summary>
    public string? GoneReason(Address address) =>
        !_peers.IsEmpty && _peers.TryGetValue(PeerKey.Of(address), out var state) ? state.GoneReason : null;

    private sealed record PeerState(int? AliveProcessId, string? GoneReason, long GoneAtMs, long ClosedAtMs)
    {
        public static PeerState Gone(int? aliveProcessId, string reason, long now) => new(aliveProcessId, reason, now, 0);
    }
}

/// <summary>Creates the <see cref="PeerLiveness"/> extension.</summary>
public sealed class PeerLivenessProvider : ExtensionIdProvider<PeerLiveness>
{
    /// <inheritdoc />
    public override PeerLiveness CreateExtension(ExtendedActorSystem system) => new(static () => Environment.TickCount64);
}
