using XStateNet.Actors.MultiProcess.Tests.Roles;
using XStateNet.Actors.TestKit;
using Xunit.Abstractions;

namespace XStateNet.Actors.MultiProcess.Tests.Specs;

/// <summary>One process sends the same numbered stream to five others (the reference documents' broadcast case).</summary>
public sealed class BroadcastSpecs(ITestOutputHelper output) : ReportingSpec<BroadcastRoles>(output)
{
    private const int Events = 10_000;
    private const int Receivers = BroadcastRoles.Receivers;

    [Theory]
    [MemberData(nameof(MultiNodeTransports.All), MemberType = typeof(MultiNodeTransports))]
    public async Task One_process_broadcasts_to_five_others_and_every_event_arrives_in_order(string transport)
    {
        await UseTransport(transport);
        await StartNodes();

        var targets = string.Join(',', Enumerable.Range(1, Receivers).Select(i => $"r{i}"));
        Machine("Sender", "broadcaster").Tell(new MachineEvent("START", Fields(("count", Events), ("targets", targets))));
        await ExpectReport("BROADCAST_SENT", TimeSpan.FromSeconds(60));

        for (var i = 0; i < Receivers; i++)
        {
            var id = $"r{i + 1}";
            var snapshot = await AwaitReceived($"Receiver{i + 1}", id, Events, TimeSpan.FromSeconds(60));
            Assert.True(ContextNumber(snapshot, "outOfOrder") == 0, $"{id}: {snapshot.Context.GetValueOrDefault("firstDisorder")}");
            Assert.Equal(Events, ContextNumber(snapshot, "received"));
        }
    }
}
