using Akka.Actor;
using Akka.Actor.Internal;
using Akka.Event;
using Akka.Remote;

namespace XStateNet.Actors.Transport;

/// <summary>
/// Akka's remote actor-ref provider, with a remote watcher that also believes the transports: when a transport
/// reports a peer's process gone (<see cref="PeerLiveness.ReportGone"/>) and Akka has closed its association with
/// it, the next reaper tick (<c>akka.remote.watch-failure-detector.unreachable-nodes-reaper-interval</c>) quarantines
/// the address and DeathWatch delivers <see cref="Terminated"/>, without waiting for the heartbeat detector's pause
/// allowance.
/// </summary>
/// <remarks>
/// Chosen in HOCON: <c>akka.actor.provider = "XStateNet.Actors.Transport.LivenessAwareRemoteActorRefProvider, XStateNet.Actors.Transport.Core"</c>.
/// Over transports that report nothing (Akka's TCP) it behaves exactly like <see cref="RemoteActorRefProvider"/>.
/// </remarks>
public class LivenessAwareRemoteActorRefProvider : RemoteActorRefProvider
{
    /// <summary>Called by Akka when the actor system starts.</summary>
    public LivenessAwareRemoteActorRefProvider(string systemName, Settings settings, EventStream eventStream)
        : base(systemName, settings, eventStream)
    {
    }

    /// <inheritdoc />
    protected override IActorRef CreateRemoteWatcher(ActorSystemImpl system)
    {
        var liveness = PeerLiveness.For(system);
        system.SystemActorOf(AssociationClosedListener.Props(liveness), "peer-liveness");
        var failureDetector = new LivenessAwareFailureDetectorRegistry(CreateRemoteWatcherFailureDetector(system), liveness);
        return system.SystemActorOf(RemoteSettings.ConfigureDispatcher(
            Akka.Remote.RemoteWatcher.Props(
                failureDetector,
                RemoteSettings.WatchHeartBeatInterval,
                RemoteSettings.WatchUnreachableReaperInterval,
                RemoteSettings.WatchHeartbeatExpectedResponseAfter)), "remote-watcher");
    }
}
