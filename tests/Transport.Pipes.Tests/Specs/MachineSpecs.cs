using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit.Abstractions;

namespace XStateNet.Actors.Transport.Pipes.Tests.Specs;

/// <summary>Machines in two systems address each other by id through HOCON routes over pipes.</summary>
public sealed class MachineSpecs : TestKit
{
    private const int LeftPort = 20_001;
    private const int RightPort = 20_002;
    private readonly string _prefix;
    private readonly ActorSystem _right;

    public MachineSpecs(ITestOutputHelper output) : this(PipeNodes.UniquePrefix(), output)
    {
    }

    private MachineSpecs(string prefix, ITestOutputHelper output)
        : base(PipeNodes.Config(prefix, LeftPort, Route("pong", "Right", RightPort)), "Left", output)
    {
        _prefix = prefix;
        _right = ActorSystem.Create("Right", PipeNodes.Config(prefix, RightPort, Route("ping", "Left", LeftPort)));
    }

    [Fact]
    public void Machines_in_two_systems_send_to_each_other_by_id_across_a_pipe()
    {
        _right.SpawnMachine("pong", """
            { "initial": "ready", "states": { "ready": { "on": { "PING": { "actions": "reply" } } } } }
            """, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["reply"] = ctx => ctx.RequestSend(ctx.SourceMachineId!, "PONG", new { Count = (long)ctx.EventData!.Count + 1, Where = ctx.MachineId }),
        });
        var ping = Sys.SpawnMachine("ping", """
            { "initial": "idle", "states": {
                "idle": { "on": { "GO": { "target": "waiting", "actions": "send" } } },
                "waiting": { "on": { "PONG": { "target": "idle", "actions": "report" } } } } }
            """, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["send"] = ctx => ctx.RequestSend("pong", "PING", new { Count = 41L }),
            ["report"] = ctx => TestActor.Tell(
                $"{ctx.EventData!.Count} from {ctx.EventData.Where}, local: {ctx.GetTargetProcessInfo("pong").IsLocal}"),
        });

        ping.Tell(new MachineEvent("GO"));

        ExpectMsg("42 from pong, local: False", TimeSpan.FromSeconds(20));
    }

    protected override void AfterAll()
    {
        _right.Terminate().Wait(TimeSpan.FromSeconds(10));
        base.AfterAll();
        PipeNodes.RemoveLeftovers(_prefix);
    }

    private static string Route(string id, string system, int port) =>
        $"xstatenet.machines {{ {id} = \"akka.pipe://{system}@localhost:{port}/user/{id}\" }}";
}
