using Akka.Actor;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Tests.Shared;
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
        : base(PipeNodes.Config(prefix, LeftPort, MachinePingPong.Route("pipe", "pong", "Right", RightPort)), "Left", output)
    {
        _prefix = prefix;
        _right = ActorSystem.Create("Right", PipeNodes.Config(prefix, RightPort, MachinePingPong.Route("pipe", "ping", "Left", LeftPort)));
    }

    [Fact]
    public void Machines_in_two_systems_send_to_each_other_by_id_across_a_pipe()
    {
        var ping = MachinePingPong.Spawn(Sys, _right, TestActor);
        ping.Tell(new MachineEvent("GO"));

        ExpectMsg(MachinePingPong.ExpectedReport, TimeSpan.FromSeconds(20));
    }

    protected override void AfterAll()
    {
        _right.Terminate().Wait(TimeSpan.FromSeconds(10));
        base.AfterAll();
        PipeNodes.RemoveLeftovers(_prefix);
    }

}
