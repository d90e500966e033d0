using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.TestKit;
using XStateNet.Actors.Transport.Pipes;
using Xunit.Abstractions;

namespace XStateNet.Actors.MultiProcess.Tests.InProcess;

/// <summary>
/// Two actor systems in this process over the named-pipe transport: an event over the pipe's <c>maximum-frame-size</c>
/// raises <c>error.communication</c> in the sending machine, naming its size and the limit; events under it arrive.
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class OversizedOverPipeSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly InProcessRun Run = new();
    private readonly ActorSystem _right;

    public OversizedOverPipeSpecs(ITestOutputHelper output)
        : base(NodeConfig(21001, ("sink", "Right", 21002)), "Left", output)
    {
        _right = ActorSystem.Create("Right", NodeConfig(21002, ("sender", "Left", 21001)));
        _right.SpawnMachine("sink", """{ "initial": "a", "states": { "a": { "on": { "BLOB": { "actions": "ack" } } } } }""",
            new Dictionary<string, Action<OrchestratedContext>> { ["ack"] = ctx => ctx.RequestSend(ctx.SourceMachineId!, "ACK", ((byte[])ctx.Payload!).Length) });
    }

    [Fact]
    public void An_event_over_the_pipes_frame_limit_raises_error_communication_and_smaller_ones_arrive()
    {
        var sender = Sys.SpawnMachine("sender", """
            { "initial": "a", "states": { "a": { "on": {
                "SEND": { "actions": "send" }, "ACK": { "actions": "ack" }, "error.communication": { "actions": "failed" } } } } }
            """, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["send"] = ctx => ctx.RequestSend("sink", "BLOB", new byte[(int)ctx.Payload!]),
            ["ack"] = ctx => TestActor.Tell($"ACK {ctx.Payload}"),
            ["failed"] = ctx => TestActor.Tell(ctx.Payload),
        });

        sender.Tell(new MachineEvent("SEND", 40_000));
        Assert.Equal("ACK 40000", ExpectMsg<string>(TimeSpan.FromSeconds(20)));

        sender.Tell(new MachineEvent("SEND", 200_000));
        var error = ExpectMsg<CommunicationError>(TimeSpan.FromSeconds(10));
        Assert.Equal("BLOB", error.EventName);
        Assert.Contains("over the payload limit of 100000 bytes", error.Reason);
        Assert.Matches(@"the event is 200\d{3} bytes encoded", error.Reason);

        sender.Tell(new MachineEvent("SEND", 90_000));
        Assert.Equal("ACK 90000", ExpectMsg<string>(TimeSpan.FromSeconds(10)));
    }

    protected override void AfterAll()
    {
        _right.Terminate().Wait(TimeSpan.FromSeconds(10));
        base.AfterAll();
    }

    /// <summary>After both systems are down: their pipes are gone (the run's prefix is the spec's own).</summary>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) Run.RemoveAndCheck();
    }

    private static Config NodeConfig(int port, (string Id, string System, int Port) route) =>
        ConfigurationFactory.ParseString($$"""
            akka.remote.pipe { hostname = "localhost", port = {{port}}, file-prefix = "{{Run.FilePrefix}}", maximum-frame-size = 100000b }
            xstatenet.machines { {{route.Id}} = "akka.pipe://{{route.System}}@localhost:{{route.Port}}/user/{{route.Id}}" }
            xstatenet.directory.enabled = off # routed explicitly; the directory would leave its folder behind
            """)
            .WithFallback(PipeConfig.Ready)
            .WithFallback(XStateNetConfig.Default);
}
