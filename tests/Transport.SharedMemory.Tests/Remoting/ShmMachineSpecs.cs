using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Xunit.Abstractions;

namespace XStateNet.Actors.Transport.SharedMemory.Tests.Remoting;

/// <summary>Machines in two systems address each other by id over shared memory, routed by HOCON.</summary>
public sealed class ShmMachineSpecs : TestKit
{
    // Ports only name control sockets inside this test's own directory, so any two distinct numbers will do.
    private const int LeftPort = 21001;
    private const int RightPort = 21002;
    private readonly TempShmDirectory _dir;
    private readonly ActorSystem _right;

    public ShmMachineSpecs(ITestOutputHelper output) : this(new TempShmDirectory(), output)
    {
    }

    private ShmMachineSpecs(TempShmDirectory dir, ITestOutputHelper output)
        : base(NodeConfig(dir, LeftPort, ("pong", "Right", RightPort)), "Left", output)
    {
        _dir = dir;
        _right = ActorSystem.Create("Right", NodeConfig(dir, RightPort, ("ping", "Left", LeftPort)));
    }

    [Fact]
    public void Machines_send_to_each_other_by_id_across_shared_memory()
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
            ["report"] = ctx =>
            {
                var info = ctx.GetTargetProcessInfo("pong");
                TestActor.Tell($"{ctx.EventData!.Count} from {ctx.EventData.Where} (local: {info.IsLocal})");
            },
        });

        ping.Tell(new MachineEvent("GO"));
        ExpectMsg("42 from pong (local: False)", TimeSpan.FromSeconds(20));
    }

    private static Config NodeConfig(TempShmDirectory dir, int port, (string Id, string System, int Port) route) =>
        ConfigurationFactory.ParseString($$"""
            xstatenet.machines { {{route.Id}} = "akka.shm://{{route.System}}@localhost:{{route.Port}}/user/{{route.Id}}" }
            """).WithFallback(ShmNodes.Config(dir.Path, port));

    protected override void AfterAll()
    {
        try
        {
            _right.Terminate().Wait(TimeSpan.FromSeconds(10));
            base.AfterAll();
        }
        finally
        {
            _dir.Dispose();
        }
    }
}
