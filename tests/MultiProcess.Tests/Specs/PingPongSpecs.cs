using XStateNet.Actors.MultiProcess.Tests.Harness;
using Xunit.Abstractions;

namespace XStateNet.Actors.MultiProcess.Tests.Specs;

/// <summary>Two machines in two child processes play ping-pong by machine id, each finding the other through its HOCON routes.</summary>
public sealed class PingPongSpecs(ITestOutputHelper output) : MultiProcessSpec(output)
{
    private const int Rounds = 1_000;

    [Theory]
    [MemberData(nameof(TransportCatalogue.UnderTest), MemberType = typeof(TransportCatalogue))]
    public async Task Machines_in_two_processes_play_ping_pong_by_id_through_routes(string transport)
    {
        await UseTransport(transport);
        var left = Plan("Left");
        var right = Plan("Right");
        left.Hosting("ping", "pinger").Routing("pong", right);
        right.Hosting("pong", "ponger").Routing("ping", left);
        await StartNodes(left, right);

        Machine(left, "ping").Tell(new MachineEvent("START", Fields(("rounds", Rounds))));

        var done = await ExpectReport("PONG_DONE", TimeSpan.FromSeconds(60));
        Assert.Equal(Rounds, Number(done, "rounds"));
        Assert.Equal("pong", Field(done, "from"));
        Assert.Equal("ping", Field(done, "machine"));
    }
}
