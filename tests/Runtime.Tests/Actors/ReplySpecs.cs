using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Configuration;
using Xunit.Abstractions;

namespace XStateNet.Actors.Tests.Actors;

/// <summary>
/// ctx.Reply goes to whoever sent the event being handled, and RequestSend(ctx.SourceMachineId) finds the way back
/// with no route: each machine learns where an id last sent from. A reply to an event told with no sender raises
/// error.communication saying so.
/// </summary>
public sealed class ReplySpecs(ITestOutputHelper output) : TestKit("akka.loglevel = INFO", output: output)
{
    private const string Answerer = """
        { "initial": "ready", "states": { "ready": { "on": {
            "ASK": { "actions": "answer" },
            "error.communication": { "actions": "report" } } } } }
        """;

    [Fact]
    public void A_plain_actor_that_tells_a_machine_an_event_gets_the_reply()
    {
        var machine = Sys.SpawnMachine("answerer", Answerer, Actions(ctx => ctx.Reply("ANSWER", 42)));

        machine.Tell(new MachineEvent("ASK"), TestActor);

        var reply = ExpectMsg<MachineEvent>(TimeSpan.FromSeconds(10));
        Assert.Equal("ANSWER", reply.Name);
        Assert.Equal(42, reply.Data);
        Assert.Equal("answerer", reply.SourceMachineId);
    }

    [Fact]
    public void A_reply_to_an_event_told_with_no_sender_raises_error_communication_saying_so()
    {
        var machine = Sys.SpawnMachine("orphan", Answerer, Actions(ctx => ctx.Reply("ANSWER", 42)));

        machine.Tell(new MachineEvent("ASK"), ActorRefs.NoSender);

        var error = ExpectMsg<CommunicationError>(TimeSpan.FromSeconds(10));
        Assert.Equal("ANSWER", error.EventName);
        Assert.Equal(42, error.Payload);
        Assert.Contains("no one to reply to", error.Reason);
        Assert.Contains("ActorRefs.NoSender", error.Reason);
    }

    [Fact]
    public void Machines_in_two_systems_answer_over_tcp_with_a_route_in_one_direction_only()
    {
        int leftPort = FreePort(), rightPort = FreePort();
        using var left = ActorSystem.Create("Left", Node(leftPort, $"answerer = \"akka.tcp://Right@127.0.0.1:{rightPort}/user/answerer\"\necho = \"akka.tcp://Right@127.0.0.1:{rightPort}/user/echo\""));
        using var right = ActorSystem.Create("Right", Node(rightPort, routes: ""));
        right.SpawnMachine("answerer", Answerer, Actions(ctx => ctx.RequestSend(ctx.SourceMachineId!, "ANSWER", "by id")));
        right.SpawnMachine("echo", Answerer, Actions(ctx => ctx.Reply("ANSWER", "by reply")));
        var asker = left.SpawnMachine("asker", """
            { "initial": "ready", "states": { "ready": { "on": {
                "GO": { "actions": "ask" }, "ANSWER": { "actions": "report" }, "error.communication": { "actions": "report" } } } } }
            """, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["ask"] = ctx => ctx.RequestSend((string)ctx.Payload!, "ASK"),
            ["report"] = ctx => TestActor.Tell(ctx.Payload is CommunicationError error ? "error: " + error.Reason : $"{ctx.Payload} from {ctx.SourceMachineId}"),
        });

        asker.Tell(new MachineEvent("GO", "answerer"));
        ExpectMsg("by id from answerer", TimeSpan.FromSeconds(20));
        asker.Tell(new MachineEvent("GO", "echo"));
        ExpectMsg("by reply from echo", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_learned_sender_that_terminates_is_forgotten()
    {
        int leftPort = FreePort(), rightPort = FreePort();
        using var left = ActorSystem.Create("Left", Node(leftPort, $"answerer = \"akka.tcp://Right@127.0.0.1:{rightPort}/user/answerer\""));
        using var right = ActorSystem.Create("Right", Node(rightPort, routes: "", resolveTimeout: "1s"));
        right.SpawnMachine("answerer", Answerer, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["answer"] = ctx =>
            {
                ctx.RequestSend("asker", "ANSWER", "hello");
                TestActor.Tell("asked by " + ctx.SourceMachineId);
            },
            ["report"] = ctx => TestActor.Tell($"error for {((CommunicationError)ctx.Payload!).TargetMachineId}: {((CommunicationError)ctx.Payload!).Reason}"),
        });
        var asker = left.SpawnMachine("asker", """{ "initial": "a", "states": { "a": { "on": { "GO": { "actions": "ask" }, "ANSWER": { "actions": "got" } } } } }""",
            new Dictionary<string, Action<OrchestratedContext>>
            {
                ["ask"] = ctx => ctx.RequestSend("answerer", "ASK"),
                ["got"] = ctx => TestActor.Tell("got " + ctx.Payload),
            });
        asker.Tell(new MachineEvent("GO"));
        ExpectMsg("asked by asker", TimeSpan.FromSeconds(20));
        ExpectMsg("got hello", TimeSpan.FromSeconds(20));

        await left.Terminate().WaitAsync(TimeSpan.FromSeconds(20));
        // The answerer watched the learned sender: once it is gone, "asker" is looked for afresh (and is nowhere).
        AwaitAssert(() =>
        {
            right.ActorSelection("/user/answerer").Tell(new MachineEvent("ASK"), ActorRefs.NoSender);
            var said = ReceiveWhile(TimeSpan.FromSeconds(3), message => message as string);
            Assert.Contains(said, line => line!.StartsWith("error for asker: no actor answers at akka.tcp://Right@", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
    }

    private Dictionary<string, Action<OrchestratedContext>> Actions(Action<OrchestratedContext> answer) => new()
    {
        ["answer"] = answer,
        ["report"] = ctx => TestActor.Tell(ctx.Payload!),
    };

    private static Config Node(int port, string routes, string resolveTimeout = "10s") =>
        ConfigurationFactory.ParseString($$"""
            akka.actor.provider = remote
            akka.loglevel = INFO
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = {{port}} }
            xstatenet.resolve-timeout = {{resolveTimeout}}
            xstatenet.machines { {{routes}} }
            """).WithFallback(XStateNetConfig.Default);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
