using XStateNet.Actors.MultiProcess.Tests.Roles;
using XStateNet.Actors.TestKit;
using Xunit.Abstractions;

namespace XStateNet.Actors.MultiProcess.Tests.Specs;

/// <summary>
/// Bad input from outside the transport's protocol (garbage on a socket or pipe, a foreign file where a segment
/// is expected; each transport's writer is in <see cref="ForeignInput"/>): the node logs a clear error and
/// keeps serving its peers.
/// </summary>
public sealed class BadInputSpecs(ITestOutputHelper output) : ReportingSpec<BadInputRoles>(output)
{
    [Theory]
    [MemberData(nameof(MultiNodeTransports.All), MemberType = typeof(MultiNodeTransports))]
    public async Task Garbage_from_outside_is_logged_and_the_node_keeps_working(string transport)
    {
        await UseTransport(transport);
        var victim = (await StartNodes("Target", "Peer"))[0];
        await PlayPing();

        var input = ForeignInput.For(transport);
        var mark = victim.LineCount;
        var what = await input.Write(victim.Address, Sys.Settings.Config);
        Note($"{transport}: {what}");

        foreach (var expected in input.Logged)
        {
            var logged = await victim.WaitForLine(mark, expected.IsMatch, TimeSpan.FromSeconds(20));
            Note($"{transport}: the node logged: {logged}");
        }
        Assert.False(victim.HasExited, "the node died of bad input");

        await PlayPing(); // the existing association still carries traffic both ways
        Assert.False(victim.HasExited);
    }

    private async Task PlayPing()
    {
        Machine("Peer", "ping").Tell(new MachineEvent("START", Fields(("rounds", 10))));
        var done = await ExpectReport("PONG_DONE", TimeSpan.FromSeconds(30));
        Assert.Equal("pong", Field(done, "from"));
    }
}
