using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Remote;

namespace XStateNet.Actors.Transport.SameHost.Cluster;

/// <summary>
/// With <c>provider = cluster</c>: downs a same-host member as soon as the ring's verdict says its process is gone (its
/// pid no longer runs, or its heartbeat is older than <c>heartbeat-timeout</c>), and quarantines that incarnation, so
/// the cluster removes it without waiting for its failure detector and downing provider. Only peers this node reached
/// over the ring are judged: members on other hosts keep Akka's failure detector and the configured downing provider.
/// </summary>
/// <remarks>
/// <para>
/// Why both: Akka's leader removes a Down member only once some member has marked it unreachable or terminated
/// (<c>LeaderActionsOnConvergence</c> removes the Down members among <c>Reachability.AllUnreachableOrTerminated</c>).
/// Down alone would leave a dead member in the ring until a cluster failure detector gave up on it (its
/// <c>acceptable-heartbeat-pause</c>, seconds). Quarantining the gone incarnation's uid makes Akka.Cluster itself mark
/// it TERMINATED from this node (its <c>QuarantinedEvent</c> handling), every same-host observer doing so on its own
/// verdict, so the leader removes it at its next leader action after convergence. A quarantine names the uid, so a
/// process restarted at the same address (a new uid) is not affected; Akka quarantines a removed Down member's uid
/// itself later anyway.
/// </para>
/// <para>
/// The quarantine waits until Akka has let go of the dead peer's associations (<see cref="PeerLiveness.CanDeclareDead"/>,
/// fed by an <see cref="AssociationClosedListener"/> started here): earlier, it races with the endpoint manager's own
/// clean-up and can leave the next association to a restarted peer unregistered.
/// </para>
/// <para>
/// Started by the transport itself (not through <c>akka.extensions</c>, which a node's own list would replace). A
/// verdict is acted on once; a restarted process at the same address clears it when its first ring association
/// reports it alive, and is never downed for its predecessor.
/// </para>
/// </remarks>
internal sealed class GoneMemberDowning : IDisposable
{
    private readonly ActorSystem _system;
    private readonly SameHostPaths _paths;
    private readonly ILoggingAdapter _log;
    private readonly PeerLiveness _liveness;
    private readonly HashSet<PeerKey> _downed = [];
    private readonly HashSet<UniqueAddress> _quarantined = [];
    // Incarnations (address and uid) seen in the membership while their peer's process was alive. A verdict is about
    // a process; only an incarnation seen alive can be the one that process ran. A restarted process at the same
    // address joins with a new uid, possibly before this node's first ring association to it clears the verdict of its
    // predecessor: that incarnation is never downed or quarantined for it.
    private readonly HashSet<UniqueAddress> _seenAlive = [];
    private readonly IActorRef _closedListener;
    private readonly Timer _timer;
    private int _ticking;

    public GoneMemberDowning(ActorSystem system, SameHostPaths paths, ILoggingAdapter log, TimeSpan interval)
    {
        _system = system;
        _paths = paths;
        _log = log;
        _liveness = PeerLiveness.For(system);
        // The liveness-aware remote provider starts this listener for its watcher; the cluster provider has none.
        _closedListener = ((ExtendedActorSystem)system).SystemActorOf(AssociationClosedListener.Props(_liveness), "same-host-association-closed");
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
                if (_system.WhenTerminated.IsCompleted) return;
                var cluster = Akka.Cluster.Cluster.Get(_system);
                var reason = _liveness.GoneReason(address);
                var members = cluster.State.Members.Where(m => PeerKey.Of(m.Address) == peer).ToList();
                if (reason is null)
                {
                    _downed.Remove(peer);
                    foreach (var alive in members) _seenAlive.Add(alive.UniqueAddress);
                    continue;
                }

                members.RemoveAll(m => !_seenAlive.Contains(m.UniqueAddress));
                if (!_downed.Contains(peer)
                    && members.FirstOrDefault(m => m.Status is not (MemberStatus.Down or MemberStatus.Removed or MemberStatus.Exiting)) is { } member)
                {
                    _downed.Add(peer);
                    _log.Warning("Same-host fast path: downing {0}, its process is gone ({1}).", member.Address, reason);
                    cluster.Down(member.Address);
                }

                // The incarnation that is Down (this node's Down takes a moment to show in the state) and gone.
                if (!_liveness.CanDeclareDead(address)) continue;
                foreach (var down in members.Where(m => m.Status == MemberStatus.Down && !_quarantined.Contains(m.UniqueAddress)))
                {
                    _quarantined.Add(down.UniqueAddress);
                    _log.Info("Same-host fast path: quarantining {0} (uid {1}), so the cluster can remove it now.", down.Address, down.UniqueAddress.Uid);
                    ((IRemoteActorRefProvider)((ExtendedActorSystem)_system).Provider).Quarantine(down.Address, down.UniqueAddress.Uid);
                }
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

    public void Dispose()
    {
        _timer.Dispose();
        _closedListener.Tell(PoisonPill.Instance);
    }
}
