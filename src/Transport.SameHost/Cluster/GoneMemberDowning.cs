using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace XStateNet.Actors.Transport.SameHost.Cluster;

/// <summary>
/// With <c>provider = cluster</c>: downs a same-host member as soon as the ring's verdict says its process is gone (its
/// pid no longer runs, or its heartbeat is older than <c>heartbeat-timeout</c>), so the cluster removes it without
/// waiting for its failure detector and downing provider. Only peers this node reached over the ring are judged:
/// members on other hosts keep Akka's failure detector and the configured downing provider.
/// </summary>
/// <remarks>
/// Started by the transport itself (not through <c>akka.extensions</c>, which a node's own list would replace). A
/// verdict is acted on once; a restarted process at the same address clears it when its first ring association
/// reports it alive, and is never downed for its predecessor.
/// </remarks>
internal sealed class GoneMemberDowning : IDisposable
{
    private readonly ActorSystem _system;
    private readonly SameHostPaths _paths;
    private readonly ILoggingAdapter _log;
    private readonly PeerLiveness _liveness;
    private readonly HashSet<PeerKey> _downed = [];
    private readonly Timer _timer;
    private int _ticking;

    public GoneMemberDowning(ActorSystem system, SameHostPaths paths, ILoggingAdapter log, TimeSpan interval)
    {
        _system = system;
        _paths = paths;
        _log = log;
        _liveness = PeerLiveness.For(system);
        _timer = new Timer(_ => Tick(), null, interval, interval);
    }

    /// <summary>Whether <paramref name="system"/> runs Akka.Cluster's provider (or one derived from it).</summary>
    public static bool IsClusterProvider(ActorSystem system) =>
        Type.GetType(system.Settings.ProviderClass, throwOnError: false) is { } provider
        && typeof(ClusterActorRefProvider).IsAssignableFrom(provider);

    private void Tick()
    {
        if (Interlocked.Exchange(ref _ticking, 1) != 0) return;
        try
        {
            foreach (var peer in _paths.RingPeers)
            {
                var address = new Address("akka." + peer.Protocol, peer.System, peer.Host, peer.Port);
                var reason = _liveness.GoneReason(address);
                if (reason is null)
                {
                    _downed.Remove(peer);
                    continue;
                }

                if (_downed.Contains(peer) || _system.WhenTerminated.IsCompleted) continue;
                var cluster = Akka.Cluster.Cluster.Get(_system);
                var member = cluster.State.Members.FirstOrDefault(m => PeerKey.Of(m.Address) == peer);
                if (member is null || member.Status is MemberStatus.Down or MemberStatus.Removed or MemberStatus.Exiting) continue;
                _downed.Add(peer);
                _log.Warning("Same-host fast path: downing {0}, its process is gone ({1}).", member.Address, reason);
                cluster.Down(member.Address);
            }
        }
        catch (Exception e)
        {
            _log.Debug("Same-host fast path: the downing check failed: {0}", e.Message);
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }

    public void Dispose() => _timer.Dispose();
}
