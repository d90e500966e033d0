using Akka.Actor;

namespace XStateNet.Actors.Sharding.Tests;

/// <summary>
/// A sharded machine's side of acknowledged sends (numbers applied once, in order, remembered across a restart) and a
/// snapshot ask no shard can answer. A class of their own, so that they run beside the hand-off spec.
/// </summary>
public sealed class ChannelSpecs
{
    [Fact]
    public async Task Events_sent_from_outside_machines_complete_once_applied_and_fail_clearly_when_never_acknowledged()
    {
        await using var cluster = new ClusterNodes();
        var node = await cluster.StartAsync(MachineStore.InMemory,
            "xstatenet.acknowledged-sends { redeliver-interval = 500ms, give-up-after = 3s }\n" +
            "akka.coordinated-shutdown.phases.cluster-sharding-shutdown-region.timeout = 1s"); // the lost type's proxy holds what it never delivered
        await Tally.Start(node);
        var machines = ShardedMachines.For(node);

        await machines.SendAsync("tally-1", new MachineEvent("INC", "k1")).WaitAsync(TimeSpan.FromSeconds(30));
        var again = new MachineEvent("INC", "k2");
        await Task.WhenAll(machines.SendAsync("tally-1", again), machines.SendAsync("tally-1", again)).WaitAsync(TimeSpan.FromSeconds(30));
        var applied = ((string)(await machines.GetSnapshotAsync("tally-1")).Context["applied"]!).Trim();
        Assert.Equal("k1 k2 k2", applied); // one event object sent twice is two sends, each applied once

        var unknown = Assert.Throws<ArgumentException>(() => { _ = machines.SendAsync("nobody-1", new MachineEvent("INC", "x")); }); // thrown at the call
        Assert.Contains("nobody-1", unknown.Message);

        // A type whose shards live on a role no member has: the event is sent again and again, never acknowledged.
        await machines.StartAsync("lost", new ShardedMachineOptions().Script(Tally.Chart).Actions(Tally.Actions).IdPrefix("lost-").Role("nobody"));
        var failure = await Assert.ThrowsAsync<TimeoutException>(() => machines.SendAsync("lost-1", new MachineEvent("INC", "x")).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("give-up-after", failure.Message);
        Assert.Contains("never twice", failure.Message);
    }

    [Fact]
    public async Task A_snapshot_ask_that_no_shard_can_answer_fails_clearly_instead_of_hanging()
    {
        await using var cluster = new ClusterNodes();
        // The proxy keeps the asks it could never deliver, so its graceful stop at the end would wait out the shutdown
        // phase's 10 s: a second is enough here.
        var node = await cluster.StartAsync(MachineStore.InMemory, "akka.coordinated-shutdown.phases.cluster-sharding-shutdown-region.timeout = 1s");
        // A proxy for a role no member has: no shard will ever start, so every ask is buffered and never answered.
        var machines = ShardedMachines.For(node);
        await machines.StartAsync("tally", new ShardedMachineOptions().Script(Tally.Chart).Actions(Tally.Actions).IdPrefix("tally-").Role("nobody"));

        var failure = await Assert.ThrowsAsync<AskTimeoutException>(() => machines.GetSnapshotAsync("tally-1", TimeSpan.FromSeconds(3)));
        Assert.Contains("tally-1", failure.Message);
        Assert.Contains("asked", failure.Message);
    }

    [Fact]
    public async Task A_machine_applies_each_channel_number_once_and_in_order_and_remembers_them_across_a_restart()
    {
        var file = Path.Combine(Path.GetTempPath(), $"xstatenet-channel-{Guid.NewGuid():N}.db");
        const string channel = "sender/0123456789abcdef.0";
        try
        {
            await using (var cluster = new ClusterNodes())
            {
                var node = await cluster.StartAsync(MachineStore.Sqlite(file), setup: MachineStore.SqliteSetup(file));
                await Tally.Start(node);
                var inbox = Inbox.Create(node);
                var machines = ShardedMachines.For(node);
                void Send(long sequence) => machines.Tell("tally-1", new AcknowledgedEvent(channel, sequence, Inc(sequence)), inbox.Receiver);

                Send(1);
                Assert.Equal(1, (await Tally.NextAcknowledgement(inbox)).UpTo);
                Send(1); // redelivered: acknowledged again, not applied
                Assert.Equal(1, (await Tally.NextAcknowledgement(inbox)).UpTo);
                Send(3); // 2 was lost on the way: 3 waits for the sender to send 2 again, in order
                Send(2);
                Assert.Equal(2, (await Tally.NextAcknowledgement(inbox)).UpTo);
                Send(3);
                Assert.Equal(3, (await Tally.NextAcknowledgement(inbox)).UpTo);
                Assert.Equal("k1 k2 k3", Applied(await machines.GetSnapshotAsync("tally-1")));
            }

            await using (var cluster = new ClusterNodes())
            {
                // A new cluster on the same file: the numbers came back with the state.
                var node = await cluster.StartAsync(MachineStore.Sqlite(file), setup: MachineStore.SqliteSetup(file));
                await Tally.Start(node);
                var inbox = Inbox.Create(node);
                var machines = ShardedMachines.For(node);
                machines.Tell("tally-1", new AcknowledgedEvent(channel, 3, Inc(3)), inbox.Receiver);
                Assert.Equal(3, (await Tally.NextAcknowledgement(inbox)).UpTo);
                machines.Tell("tally-1", new AcknowledgedEvent(channel, 4, Inc(4)), inbox.Receiver);
                Assert.Equal(4, (await Tally.NextAcknowledgement(inbox)).UpTo);
                Assert.Equal("k1 k2 k3 k4", Applied(await machines.GetSnapshotAsync("tally-1")));
            }
        }
        finally
        {
            foreach (var leftover in new[] { file, file + "-wal", file + "-shm", file + "-journal" }) File.Delete(leftover);
        }

        static MachineEvent Inc(long sequence) => new("INC", $"k{sequence}") { SourceMachineId = "sender" };
        static string Applied(MachineSnapshot snapshot) => ((string)snapshot.Context["applied"]!).Trim();
    }
}
