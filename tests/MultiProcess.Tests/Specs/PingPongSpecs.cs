using XStateNet.Actors.MultiProcess.Tests.Roles;
using XStateNet.Actors.Transport.SameHost;
using XStateNet.Actors.TestKit;
using Xunit.Abstractions;

namespace XStateNet.Actors.MultiProcess.Tests.Specs;

/// <summary>
/// Two machines in two child processes play ping-pong by machine id, each finding the other through its HOCON routes;
/// also over the same-host fast path (akka.tcp addresses, the ring underneath).
/// </summary>
public sealed class PingPongSpecs(ITestOutputHelper output) : ReportingSpec<PingPongRoles>(output)
{
    private const int Rounds = 1_000;

    [Theory]
    [MemberData(nameof(MultiNodeTransports.AllAndSameHost), MemberType = typeof(MultiNodeTransports))]
    public async Task Machines_in_two_processes_play_ping_pong_by_id_through_routes(string transport)
    {
        await UseTransport(transport);
        await StartNodes("Left", "Right");

        Machine("Left", "ping").Tell(new MachineEvent("START", Fields(("rounds", Rounds))));

        var done = await ExpectReport("PONG_DONE", TimeSpan.FromSeconds(60));
        Assert.Equal(Rounds, Number(done, "rounds"));
        Assert.Equal("pong", Field(done, "from"));
        Assert.Equal("ping", Field(done, "machine"));

        // Over the same-host fast path the game and the spec's own traffic ran on the ring: every association of the
        // test node with a child (all on this host) was made there, none over TCP.
        if (transport == "same-host")
        {
            var paths = SameHostPaths.For(Sys).Snapshot();
            Assert.NotEmpty(paths);
            Assert.All(paths, p => Assert.True(p.Ring > 0 && p.Tcp == 0, $"{p.Peer}: ring {p.Ring}, tcp {p.Tcp}"));
        }
    }
}
