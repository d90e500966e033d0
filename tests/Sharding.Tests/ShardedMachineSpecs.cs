using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster.Sharding;
using XStateNet.Actors.Inspection;

namespace XStateNet.Actors.Sharding.Tests;

/// <summary>
/// Sharded machines in one test process: two cluster nodes over TCP on loopback (in-memory journal), or one node
/// over an SQLite file. Multi-process runs with a killed node are in the multi-process specs.
/// </summary>
public sealed class ShardedMachineSpecs
{
    [Fact]
    public async Task Machines_start_on_their_first_event_anywhere_in_the_cluster_and_talk_by_id_both_ways()
    {
        await using var cluster = new ClusterNodes();
        var first = await cluster.StartAsync(MachineStore.InMemory);
        var second = await cluster.StartAsync(MachineStore.InMemory);
        await ShardedMachines.For(first).StartAsync("order", Counter.Options());
        await ShardedMachines.For(second).StartAsync("order", Counter.Options());
        var seen = new ConcurrentQueue<string>();
        var client = second.SpawnMachine("client", Counter.ClientChart, Counter.ClientActions(seen));
        const int machines = 12;

        Assert.Empty(Orders(first)); // nothing exists before its first event
        // Both regions registered with the coordinator first, or it may give every shard to the first one.
        var region = ShardedMachines.For(first).RegionOf("order-0");
        await Counter.Eventually(async () => (await region.Ask<CurrentRegions>(GetCurrentRegions.Instance, TimeSpan.FromSeconds(10))).Regions.Count == 2,
            "both nodes' regions known to the coordinator");
        for (var i = 0; i < machines; i++) client.Tell(new MachineEvent("GO", $"order-{i}"));

        await Counter.Eventually(() => Task.FromResult(seen.Count(s => s.StartsWith("PONG", StringComparison.Ordinal)) == machines), "a PONG from every machine");
        for (var i = 0; i < machines; i++)
        {
            var id = $"order-{i}";
            // The client's Reply to HELLO went back through the region to the entity, wherever it lives.
            await Counter.Eventually(async () => (await ShardedMachines.For(first).GetSnapshotAsync(id)).Context["world"] is true, $"{id} got WORLD");
        }
        Assert.Contains("PONG order-7", seen);
        Assert.DoesNotContain(seen, s => s.StartsWith("error", StringComparison.Ordinal));
        // Sharding spread the machines over both nodes, so some of the ids above crossed nodes both ways.
        Assert.NotEmpty(Orders(first));
        Assert.NotEmpty(Orders(second));
        Assert.Equal(machines, Orders(first).Count + Orders(second).Count);
    }

    [Fact]
    public async Task A_passivated_machine_comes_back_with_its_state_on_its_next_message()
    {
        await using var cluster = new ClusterNodes();
        var node = await cluster.StartAsync(MachineStore.InMemory);
        var machines = ShardedMachines.For(node);
        await machines.StartAsync("order", Counter.Options().PassivateAfter(TimeSpan.FromSeconds(1)).SnapshotEvery(2));
        var seen = new ConcurrentQueue<string>();
        var client = node.SpawnMachine("client", Counter.ClientChart, Counter.ClientActions(seen));

        for (var seq = 1; seq <= 5; seq++) machines.Tell("order-42", new MachineEvent("INC", (long)seq), client);
        machines.Tell("order-42", new MachineEvent("INC", 3L), client); // a repeat: acknowledged again, not counted
        await Counter.Eventually(() => Task.FromResult(seen.Count(s => s.StartsWith("ACK", StringComparison.Ordinal)) == 6), "six ACKs");
        await Counter.Eventually(() => Task.FromResult(Orders(node).Count == 0), "the idle machine passivated");

        var snapshot = await machines.GetSnapshotAsync("order-42"); // starts it again, from the snapshot store and journal
        Assert.Equal(5L, snapshot.Context["count"]);
        Assert.Equal(5L, snapshot.Context["last"]);
        Assert.Equal(["active"], snapshot.ActiveStates);

        machines.Tell("order-42", new MachineEvent("STOP"));
        await Counter.Eventually(async () => (await machines.GetSnapshotAsync("order-42")).ActiveStates.SequenceEqual(["stopped"]), "stopped");
    }

    [Fact]
    public async Task State_in_SQLite_survives_the_whole_cluster_and_a_changed_chart_is_refused_with_the_reason()
    {
        var file = Path.Combine(Path.GetTempPath(), $"xstatenet-sharding-{Guid.NewGuid():N}.db");
        try
        {
            await using (var cluster = new ClusterNodes())
            {
                var node = await cluster.StartAsync(MachineStore.Sqlite(file), setup: MachineStore.SqliteSetup(file));
                var machines = ShardedMachines.For(node);
                await machines.StartAsync("order", Counter.Options());
                for (var seq = 1; seq <= 3; seq++) machines.Tell("order-7", new MachineEvent("INC", (long)seq));
                await Counter.Eventually(async () => (await machines.GetSnapshotAsync("order-7")).Context["count"] is 3L, "three counted");
            }

            await using (var cluster = new ClusterNodes())
            {
                var node = await cluster.StartAsync(MachineStore.Sqlite(file), setup: MachineStore.SqliteSetup(file));
                var machines = ShardedMachines.For(node);
                await machines.StartAsync("order", Counter.Options());
                var snapshot = await machines.GetSnapshotAsync("order-7");
                Assert.Equal(3L, snapshot.Context["count"]);
            }

            await using (var cluster = new ClusterNodes())
            {
                var node = await cluster.StartAsync(MachineStore.Sqlite(file), setup: MachineStore.SqliteSetup(file));
                var machines = ShardedMachines.For(node);
                await machines.StartAsync("order", Counter.Options(Counter.ChangedChart));
                var seen = new ConcurrentQueue<string>();
                var client = node.SpawnMachine("client", Counter.ClientChart, Counter.ClientActions(seen));

                client.Tell(new MachineEvent("GO", "order-7"));
                await Counter.Eventually(() => Task.FromResult(!seen.IsEmpty), "an answer");
                var error = Assert.Single(seen);
                Assert.StartsWith("error.communication", error);
                Assert.Contains("order-7", error);
                Assert.Contains("'active'", error); // the state that no longer exists is named
                var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => machines.GetSnapshotAsync("order-7"));
                Assert.Contains("cannot resume", refused.Message);
                Assert.DoesNotContain(seen, s => s.StartsWith("PONG", StringComparison.Ordinal)); // it did not start afresh

                // A machine with nothing stored starts on the new chart as usual.
                Assert.Equal(["running"], (await machines.GetSnapshotAsync("order-8")).ActiveStates);
            }
        }
        finally
        {
            foreach (var leftover in new[] { file, file + "-wal", file + "-shm", file + "-journal" }) File.Delete(leftover);
        }
    }

    /// <summary>The sharded machines running on <paramref name="node"/> (the client is a machine too).</summary>
    private static IReadOnlyList<ObservedMachine> Orders(ActorSystem node) =>
        MachineObservation.For(node).Machines.Where(machine => machine.Id.StartsWith("order-", StringComparison.Ordinal)).ToList();
}
