using XStateNet.Actors.MultiProcess.Tests.Harness;
using Xunit.Abstractions;

namespace XStateNet.Actors.MultiProcess.Tests.Specs;

/// <summary>One process sends the same numbered stream to five others (the reference documents' broadcast case).</summary>
public sealed class BroadcastSpecs(ITestOutputHelper output) : MultiProcessSpec(output)
{
    private const int Events = 10_000;
    private const int Receivers = 5;

    [Theory]
    [MemberData(nameof(TransportCatalogue.UnderTest), MemberType = typeof(TransportCatalogue))]
    public async Task One_process_broadcasts_to_five_others_and_every_event_arrives_in_order(string transport)
    {
        await UseTransport(transport);
        // Six processes starting at once on two cores: finding five targets can take longer than the default 5 s.
        var sender = Plan("Sender").Hosting("broadcaster", "broadcaster").With("xstatenet.resolve-timeout", "30s");
        var receivers = Enumerable.Range(1, Receivers).Select(i => Plan($"Receiver{i}").Hosting($"r{i}", "sink")).ToArray();
        for (var i = 0; i < Receivers; i++) sender.Routing($"r{i + 1}", receivers[i]);
        await StartNodes([sender, .. receivers]);

        var targets = string.Join(',', Enumerable.Range(1, Receivers).Select(i => $"r{i}"));
        Machine(sender, "broadcaster").Tell(new MachineEvent("START", Fields(("count", Events), ("targets", targets))));
        await ExpectReport("BROADCAST_SENT", TimeSpan.FromSeconds(60));

        for (var i = 0; i < Receivers; i++)
        {
            var id = $"r{i + 1}";
            var snapshot = await AwaitReceived(receivers[i], id, Events, TimeSpan.FromSeconds(60));
            Assert.True(ContextNumber(snapshot, "outOfOrder") == 0, $"{id}: {snapshot.Context.GetValueOrDefault("firstDisorder")}");
            Assert.Equal(Events, ContextNumber(snapshot, "received"));
        }
    }

    /// <summary>Asks the sink's snapshot until it has counted <paramref name="expected"/> events or time runs out.</summary>
    private async Task<MachineSnapshot> AwaitReceived(NodePlan node, string id, long expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            ThrowIfAnyReport($"waiting for {id}");
            var snapshot = await Snapshot(node, id);
            if (ContextNumber(snapshot, "received") >= expected || DateTime.UtcNow > deadline) return snapshot;
            await Task.Delay(100);
        }
    }
}
