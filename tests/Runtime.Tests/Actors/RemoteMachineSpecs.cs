using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Tests.Serialization;
using Xunit.Abstractions;

namespace XStateNet.Actors.Tests.Actors;

/// <summary>
/// Two actor systems in one process over Akka.Remote's TCP on loopback: machines address each other by id
/// through HOCON routes, and payloads cross with the runtime's Hyperion serializer.
/// </summary>
public sealed class RemoteMachineSpecs : TestKit
{
    private readonly ActorSystem _right;

    public RemoteMachineSpecs(ITestOutputHelper output) : this(FreePort(), FreePort(), output)
    {
    }

    private RemoteMachineSpecs(int leftPort, int rightPort, ITestOutputHelper output)
        : base(NodeConfig("Left", leftPort, route: ("pong", "Right", rightPort)), "Left", output)
    {
        _right = ActorSystem.Create("Right", NodeConfig("Right", rightPort, route: ("ping", "Left", leftPort)));
    }

    [Fact]
    public void Machines_in_two_systems_talk_by_id_with_records_and_anonymous_payloads()
    {
        _right.SpawnMachine("pong", """
            { "initial": "ready", "states": { "ready": { "on": { "PING": { "actions": "reply" } } } } }
            """, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["reply"] = ctx =>
            {
                var order = (Order)ctx.Payload!;
                ctx.RequestSend(ctx.SourceMachineId!, "PONG", new { order.Id, Total = order.Lines.Sum(l => l.Quantity * l.Price), Where = ctx.MachineId });
            },
        });
        var ping = Sys.SpawnMachine("ping", """
            { "initial": "idle", "states": {
                "idle": { "on": { "GO": { "target": "waiting", "actions": "send" } } },
                "waiting": { "on": { "PONG": { "target": "idle", "actions": "report" } } } } }
            """, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["send"] = ctx => ctx.RequestSend("pong", "PING", new Order(7, [new OrderLine("apple", 3, 0.5m), new OrderLine("pear", 1, 2m)])),
            ["report"] = ctx =>
            {
                var info = ctx.GetTargetProcessInfo("pong");
                TestActor.Tell($"order {ctx.EventData!.Id} totals {ctx.EventData.Total} at {ctx.EventData.Where} (local: {info.IsLocal})");
            },
        });

        ping.Tell(new MachineEvent("GO"));
        ExpectMsg("order 7 totals 3.5 at pong (local: False)", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void A_send_to_a_machine_missing_on_the_remote_side_raises_error_communication()
    {
        var lonely = Sys.SpawnMachine("lonely", """
            { "initial": "a", "states": { "a": { "on": { "GO": { "actions": "send" }, "error.communication": { "actions": "report" } } } } }
            """, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["send"] = ctx => ctx.RequestSend("pong", "PING", "hello"), // routed to Right, where nothing is spawned
            ["report"] = ctx => TestActor.Tell(((CommunicationError)ctx.Payload!).TargetMachineId),
        });

        lonely.Tell(new MachineEvent("GO"));
        ExpectMsg("pong", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void A_remote_target_that_stops_is_reported_and_the_next_send_finds_its_successor()
    {
        // The Terminated of a remote actor arrives from the other side with its own copy of the ref: the
        // resolver must forget the dead target by equality, or every later send would go to the dead one.
        const string pong = """{ "initial": "ready", "states": { "ready": { "on": { "PING": { "actions": "reply" } } } } }""";
        var replies = new Dictionary<string, Action<OrchestratedContext>> { ["reply"] = ctx => ctx.RequestSend(ctx.SourceMachineId!, "PONG") };
        var first = _right.SpawnMachine("pong", pong, replies);
        var ping = Sys.SpawnMachine("ping", """
            { "initial": "a", "states": { "a": { "on": {
                "GO": { "actions": "send" }, "PONG": { "actions": "pong" }, "xstatenet.target.terminated": { "actions": "lost" } } } } }
            """, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["send"] = ctx => ctx.RequestSend("pong", "PING"),
            ["pong"] = _ => TestActor.Tell("pong"),
            ["lost"] = ctx => TestActor.Tell($"lost {((MachineTerminated)ctx.Payload!).MachineId}"),
        });
        ping.Tell(new MachineEvent("GO"));
        ExpectMsg("pong", TimeSpan.FromSeconds(20));

        _right.Stop(first);
        ExpectMsg("lost pong", TimeSpan.FromSeconds(10));
        AwaitAssert(() => _right.SpawnMachine("pong", pong, replies), TimeSpan.FromSeconds(5)); // once the old name is free

        ping.Tell(new MachineEvent("GO"));
        ExpectMsg("pong", TimeSpan.FromSeconds(10));
    }

    protected override void AfterAll()
    {
        _right.Terminate().Wait(TimeSpan.FromSeconds(10));
        base.AfterAll();
    }

    private static Config NodeConfig(string system, int port, (string Id, string System, int Port) route) =>
        ConfigurationFactory.ParseString($$"""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = {{port}} }
            xstatenet.machines { {{route.Id}} = "akka.tcp://{{route.System}}@127.0.0.1:{{route.Port}}/user/{{route.Id}}" }
            """).WithFallback(XStateNetConfig.Default);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

