using Akka.Actor;
using Akka.Actor.Internal;
using Akka.Configuration;
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
/// It also makes a failed start say why in its first line: Akka wraps what a transport threw (an invalid setting, a
/// taken address) four exceptions deep under "Startup failed"; see <see cref="StartupFailure"/>.
/// </remarks>
public class LivenessAwareRemoteActorRefProvider : RemoteActorRefProvider
{
    /// <summary>Called by Akka when the actor system starts.</summary>
    public LivenessAwareRemoteActorRefProvider(string systemName, Settings settings, EventStream eventStream)
        : base(systemName, settings, eventStream)
    {
    }

    /// <summary>Starts remoting; a failure is rethrown with the transport's own message first.</summary>
    /// <exception cref="ConfigurationException">A transport refused its settings; the message names the key.</exception>
    /// <exception cref="RemoteTransportException">A transport could not start for another reason, named in the message.</exception>
    public override void Init(ActorSystemImpl system)
    {
        try
        {
            base.Init(system);
        }
        catch (Exception e) when (StartupFailure.Explain(e, system.Settings.Config) is { } explained)
        {
            throw explained;
        }
    }

    /// <inheritdoc />
    protected override IActorRef CreateRemoteWatcher(ActorSystemImpl system)
    {
        var liveness = PeerLiveness.For(system);
        system.SystemActorOf(AssociationClosedListener.Props(liveness), "peer-liveness");
        // Watch for pauses from the start: a pause that began before the watch would otherwise go unseen, and the
        // first reaper tick after it would declare every peer dead.
        ProcessPauses.EnsureWatching();
        var acceptablePause = RemoteSettings.WatchFailureDetectorConfig.GetTimeSpan("acceptable-heartbeat-pause", TimeSpan.FromSeconds(10));
        var failureDetector = new LivenessAwareFailureDetectorRegistry(CreateRemoteWatcherFailureDetector(system), liveness, acceptablePause);
        return system.SystemActorOf(RemoteSettings.ConfigureDispatcher(
            Akka.Remote.RemoteWatcher.Props(
                failureDetector,
                RemoteSettings.WatchHeartBeatInterval,
                RemoteSettings.WatchUnreachableReaperInterval,
                RemoteSettings.WatchHeartbeatExpectedResponseAfter)), "remote-watcher");
    }
}
