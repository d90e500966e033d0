using XStateNet.Actors.MultiProcess.Tests.Harness;
using Xunit.Abstractions;

namespace XStateNet.Actors.MultiProcess.Tests.Specs;

/// <summary>
/// Bad input from outside the transport's protocol (garbage on a socket or pipe, a foreign file where a segment
/// is expected; each transport's writer is in <see cref="TransportCatalogue"/>): the node logs a clear error and
/// keeps serving its peers.
/// </summary>
public sealed class BadInputSpecs(ITestOutputHelper output) : MultiProcessSpec(output)
{
    [Theory]
    [MemberData(nameof(TransportCatalogue.UnderTest), MemberType = typeof(TransportCatalogue))]
    public async Task Garbage_from_outside_is_logged_and_the_node_keeps_working(string transport)
    {
        await UseTransport(transport);
        var target = Plan("Target");
        var peer = Plan("Peer");
        target.Hosting("pong", "ponger").Routing("ping", peer);
        peer.Hosting("ping", "pinger").Routing("pong", target);
        var nodes = await StartNodes(target, peer);
        var victim = nodes[0];
        await PlayPing(peer);

        var mark = victim.LineCount;
        var what = await Transport.WriteGarbage(victim, Run);
        Note($"{transport}: {what}");

        foreach (var expected in Transport.GarbageLogged)
        {
            var logged = await victim.WaitForLine(mark, expected.IsMatch, TimeSpan.FromSeconds(20));
            Note($"{transport}: the node logged: {logged}");
        }
        Assert.False(victim.HasExited, "the node died of bad input");

        await PlayPing(peer); // the existing association still carries traffic both ways
        Assert.False(victim.HasExited);
    }

    private async Task PlayPing(NodePlan peer)
    {
        Machine(peer, "ping").Tell(new MachineEvent("START", Fields(("rounds", 10))));
        var done = await ExpectReport("PONG_DONE", TimeSpan.FromSeconds(30));
        Assert.Equal("pong", Field(done, "from"));
    }
}
