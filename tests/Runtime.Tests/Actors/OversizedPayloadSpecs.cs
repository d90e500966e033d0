using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Transport;
using Xunit.Abstractions;

namespace XStateNet.Actors.Tests.Actors;

/// <summary>
/// Over Akka's TCP between two actor systems: an event too large for the way to its target is not dropped with a
/// log line far from the sender, but raised in the sending machine as <c>error.communication</c> naming its size and
/// the limit; events under the limit keep arriving. A peer that accepts less than this node does sets the limit.
/// </summary>
public sealed class OversizedPayloadSpecs : TestKit
{
    private const long FrameLimit = 100_000;
    private readonly ActorSystem _right;
    private readonly Address _rightAddress;

    public OversizedPayloadSpecs(ITestOutputHelper output) : this(FreePort(), FreePort(), output)
    {
    }

    private OversizedPayloadSpecs(int leftPort, int rightPort, ITestOutputHelper output)
        : base(NodeConfig("Left", leftPort, ("sink", "Right", rightPort)), "Left", output)
    {
        _right = ActorSystem.Create("Right", NodeConfig("Right", rightPort, ("sender", "Left", leftPort)));
        _rightAddress = ((ExtendedActorSystem)_right).Provider.DefaultAddress;
        _right.SpawnMachine("sink", """{ "initial": "a", "states": { "a": { "on": { "BLOB": { "actions": "ack" } } } } }""",
            new Dictionary<string, Action<OrchestratedContext>> { ["ack"] = ctx => ctx.RequestSend(ctx.SourceMachineId!, "ACK", ((byte[])ctx.Payload!).Length) });
    }

    [Fact]
    public void An_event_over_the_transports_limit_raises_error_communication_naming_size_and_limit()
    {
        var sender = SpawnSender();

        sender.Tell(new MachineEvent("SEND", 50_000));
        Assert.Equal("ACK 50000", ExpectMsg<string>(TimeSpan.FromSeconds(20)));

        sender.Tell(new MachineEvent("SEND", 300_000));
        var error = ExpectMsg<CommunicationError>(TimeSpan.FromSeconds(10));
        Assert.Equal("sink", error.TargetMachineId);
        Assert.Equal("BLOB", error.EventName);
        Assert.Equal(300_000, ((byte[])error.Payload!).Length); // nothing lost: the machine may send it another way
        Assert.Contains("over the payload limit of 100000 bytes", error.Reason);
        Assert.Matches(@"the event is 300\d{3} bytes encoded", error.Reason);

        // The association is untouched: the next event that fits arrives.
        sender.Tell(new MachineEvent("SEND", 60_000));
        Assert.Equal("ACK 60000", ExpectMsg<string>(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void A_peer_with_a_smaller_limit_than_ours_sets_the_limit()
    {
        var sender = SpawnSender();
        sender.Tell(new MachineEvent("SEND", 10_000));
        Assert.Equal("ACK 10000", ExpectMsg<string>(TimeSpan.FromSeconds(20)));

        // What a pipe or shm peer announces in its handshake; Akka's TCP announces nothing, so the test says it.
        PayloadLimits.For(Sys).ReportPeer(_rightAddress, 40_000);

        sender.Tell(new MachineEvent("SEND", 50_000));
        var error = ExpectMsg<CommunicationError>(TimeSpan.FromSeconds(10));
        Assert.Contains("over the payload limit of 40000 bytes", error.Reason);

        sender.Tell(new MachineEvent("SEND", 30_000));
        Assert.Equal("ACK 30000", ExpectMsg<string>(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void The_tcp_limit_is_read_from_maximum_frame_size()
    {
        SpawnSender();
        AwaitAssert(() => Assert.Equal(FrameLimit, PayloadLimits.For(Sys).LimitFor(_rightAddress)), TimeSpan.FromSeconds(5));
    }

    private IActorRef SpawnSender() => Sys.SpawnMachine("sender", """
        { "initial": "a", "states": { "a": { "on": {
            "SEND": { "actions": "send" }, "ACK": { "actions": "ack" }, "error.communication": { "actions": "failed" } } } } }
        """, new Dictionary<string, Action<OrchestratedContext>>
    {
        ["send"] = ctx => ctx.RequestSend("sink", "BLOB", new byte[(int)ctx.Payload!]),
        ["ack"] = ctx => TestActor.Tell($"ACK {ctx.Payload}"),
        ["failed"] = ctx => TestActor.Tell(ctx.Payload),
    });

    protected override void AfterAll()
    {
        _right.Terminate().Wait(TimeSpan.FromSeconds(10));
        base.AfterAll();
    }

    private static Config NodeConfig(string system, int port, (string Id, string System, int Port) route) =>
        ConfigurationFactory.ParseString($$"""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = {{port}}, maximum-frame-size = {{FrameLimit}}b }
            xstatenet.machines { {{route.Id}} = "akka.tcp://{{route.System}}@127.0.0.1:{{route.Port}}/user/{{route.Id}}" }
            """).WithFallback(XStateNetConfig.Default);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
