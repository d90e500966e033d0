using XStateNet.Actors.MultiProcess.Tests.Harness;
using Xunit.Abstractions;

namespace XStateNet.Actors.MultiProcess.Tests.Specs;

/// <summary>
/// Replies across processes with a route in one direction only: the answering process has no route back and no
/// host directory, yet ctx.Reply and RequestSend(ctx.SourceMachineId) reach the asker, because each machine learns
/// where an id last sent from.
/// </summary>
public sealed class ReplySpecs(ITestOutputHelper output) : MultiProcessSpec(output)
{
    private const int Rounds = 200;

    [Theory]
    [MemberData(nameof(TransportCatalogue.UnderTest), MemberType = typeof(TransportCatalogue))]
    public async Task A_machine_answers_a_process_it_has_no_route_to(string transport)
    {
        await UseTransport(transport);
        var right = Plan("Right").Hosting("replier", "replier").Hosting("pong", "ponger").With("xstatenet.directory.enabled", "off");
        // The first association on a loaded two-core host can take longer than the default 5 s.
        var left = Plan("Left").Hosting("ping", "pinger").Hosting("ping2", "pinger").With("xstatenet.directory.enabled", "off").With("xstatenet.resolve-timeout", "30s")
            .Routing("replier", right).Routing("pong", right);
        Assert.Empty(right.Routes); // no way back but the senders it hears from
        await StartNodes(left, right);

        Machine(left, "ping").Tell(new MachineEvent("START", Fields(("rounds", Rounds), ("target", "replier"))));
        var replied = await ExpectReport("PONG_DONE", TimeSpan.FromSeconds(60));
        Assert.Equal("replier", Field(replied, "from"));
        Assert.Equal(Rounds, Number(replied, "rounds"));

        Machine(left, "ping2").Tell(new MachineEvent("START", Fields(("rounds", Rounds), ("target", "pong"))));
        var answered = await ExpectReport("PONG_DONE", TimeSpan.FromSeconds(60));
        Assert.Equal("pong", Field(answered, "from"));
        Assert.Equal("ping2", Field(answered, "machine"));
    }
}
