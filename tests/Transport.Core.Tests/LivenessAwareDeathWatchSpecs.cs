using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Xunit.Abstractions;

namespace XStateNet.Actors.Transport.Tests;

/// <summary>
/// Two systems over Akka's TCP on loopback, both with the liveness-aware provider: a report from "the transport"
/// that the peer's process is gone must turn into DeathWatch's <see cref="Terminated"/> at the next reaper tick,
/// while the heartbeat detector alone (generous pause) would say nothing for many seconds.
/// </summary>
public sealed class LivenessAwareDeathWatchSpecs : TestKit
{
    private static readonly Config NodeConfig = ConfigurationFactory.ParseString("""
        akka.actor.provider = "XStateNet.Actors.Transport.LivenessAwareRemoteActorRefProvider, XStateNet.Actors.Transport.Core"
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        akka.remote.watch-failure-detector {
          heartbeat-interval = 1s
          acceptable-heartbeat-pause = 20s
          unreachable-nodes-reaper-interval = 100ms
        }
        akka.loglevel = WARNING
        """);

    private readonly ActorSystem _peer;

    public LivenessAwareDeathWatchSpecs(ITestOutputHelper output) : base(NodeConfig, "watcher", output)
    {
        _peer = ActorSystem.Create("peer", NodeConfig);
        _peer.ActorOf(Props.Create(() => new Echo()), "target");
    }

    [Fact]
    public async Task A_peer_reported_gone_is_terminated_for_its_watchers_at_once()
    {
        var target = await RemoteTarget();
        Watch(target);
        ExpectNoMsg(TimeSpan.FromMilliseconds(500));

        PeerLiveness.For(Sys).ReportGone(PeerAddress, 4242, "test: the process exited");

        var terminated = ExpectMsg<Terminated>(TimeSpan.FromSeconds(5));
        Assert.Equal(target, terminated.ActorRef);
        Assert.True(terminated.AddressTerminated);
    }

    [Fact]
    public async Task Without_a_report_the_watch_holds_and_messages_flow()
    {
        var target = await RemoteTarget();
        Watch(target);

        target.Tell("ping");
        ExpectMsg("ping");
        ExpectNoMsg(TimeSpan.FromSeconds(1));
    }

    private Address PeerAddress => ((ExtendedActorSystem)_peer).Provider.DefaultAddress;

    private async Task<IActorRef> RemoteTarget()
    {
        var identity = await Sys.ActorSelection(new RootActorPath(PeerAddress) / "user" / "target")
            .Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(10));
        return identity.Subject ?? throw new InvalidOperationException("the remote target did not answer Identify");
    }

    protected override void AfterAll()
    {
        _peer.Terminate().Wait(TimeSpan.FromSeconds(10));
        base.AfterAll();
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(message => Sender.Tell(message));
    }
}
