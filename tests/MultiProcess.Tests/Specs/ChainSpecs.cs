using XStateNet.Actors.MultiProcess.Tests.Roles;
using XStateNet.Actors.TestKit;
using Xunit.Abstractions;

namespace XStateNet.Actors.MultiProcess.Tests.Specs;

/// <summary>
/// Three processes in a ring, A → B → C → A, each machine sending to the id <c>next</c> that its node routes to
/// the following process. 100,000 events go all the way round; every link checks each sender's order.
/// </summary>
public sealed class ChainSpecs(ITestOutputHelper output) : ReportingSpec<ChainRoles>(output)
{
    private const int Events = 100_000;

    [Theory]
    [MemberData(nameof(MultiNodeTransports.All), MemberType = typeof(MultiNodeTransports))]
    public async Task A_ring_of_three_processes_carries_100000_events_in_order(string transport)
    {
        await UseTransport(transport);
        await StartNodes("A", "B", "C");

        Machine("A", "a").Tell(new MachineEvent("START", Fields(("count", Events))));

        var done = await ExpectReport("CHAIN_DONE", TimeSpan.FromSeconds(180));
        var elapsedMs = Number(done, "elapsedMs");
        Note($"MEASURED {transport}: {Events:N0} events round a 3-process ring ({3 * Events:N0} remote hops) in {elapsedMs} ms: " +
             $"{3.0 * Events / Math.Max(1, elapsedMs) * 1000:N0} hops/s");
        Assert.Equal(Events, Number(done, "received"));
        Assert.Equal(0, Number(done, "outOfOrder"));

        foreach (var (node, id) in new[] { ("B", "b"), ("C", "c") })
        {
            var snapshot = await Snapshot(node, id);
            Assert.True(ContextNumber(snapshot, "outOfOrder") == 0, $"{id}: {snapshot.Context.GetValueOrDefault("firstDisorder")}");
            Assert.Equal(Events, ContextNumber(snapshot, "received"));
        }
    }
}
