using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Tests.Shared;
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
        var ping = MachinePingPong.Spawn(Sys, _right, TestActor);
        ping.Tell(new MachineEvent("GO"));
        ExpectMsg(MachinePingPong.ExpectedReport, TimeSpan.FromSeconds(20));
    }

    private static Config NodeConfig(TempShmDirectory dir, int port, (string Id, string System, int Port) route) =>
        ConfigurationFactory.ParseString(MachinePingPong.Route("shm", route.Id, route.System, route.Port))
            .WithFallback(ShmNodes.Config(dir.Path, port));

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
