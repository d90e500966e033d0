using XStateNet.Actors.MultiProcess.Tests.Roles;
using XStateNet.Actors.TestKit;
using Xunit.Abstractions;

namespace XStateNet.Actors.MultiProcess.Tests.Specs;

/// <summary>
/// Replies across processes with a route in one direction only: the answering process has no route back and no
/// host directory, yet ctx.Reply and RequestSend(ctx.SourceMachineId) reach the asker, because each machine learns
/// where an id last sent from.
/// </summary>
public sealed class ReplySpecs(ITestOutputHelper output) : ReportingSpec<ReplyRoles>(output)
{
    private const int Rounds = 200;

    [Theory]
    [MemberData(nameof(MultiNodeTransports.All), MemberType = typeof(MultiNodeTransports))]
    public async Task A_machine_answers_a_process_it_has_no_route_to(string transport)
    {
        await UseTransport(transport);
        await StartNodes("Left", "Right");
        // No way back but the senders it hears from: Right's only route is the spec's own (report).
        await RunOn("Right", static node =>
        {
            Assert.Equal(["report"], node.System.Settings.Config.GetConfig("xstatenet.machines").AsEnumerable().Select(route => route.Key));
            return Task.CompletedTask;
        });

        Machine("Left", "ping").Tell(new MachineEvent("START", Fields(("rounds", Rounds), ("target", "replier"))));
        var replied = await ExpectReport("PONG_DONE", TimeSpan.FromSeconds(60));
        Assert.Equal("replier", Field(replied, "from"));
        Assert.Equal(Rounds, Number(replied, "rounds"));

        Machine("Left", "ping2").Tell(new MachineEvent("START", Fields(("rounds", Rounds), ("target", "pong"))));
        var answered = await ExpectReport("PONG_DONE", TimeSpan.FromSeconds(60));
        Assert.Equal("pong", Field(answered, "from"));
        Assert.Equal("ping2", Field(answered, "machine"));
    }
}
