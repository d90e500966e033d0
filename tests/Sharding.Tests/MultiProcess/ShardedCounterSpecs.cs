using Akka.Cluster.Sharding;
using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Microsoft.Data.Sqlite;
using XStateNet.Actors.TestKit;
using XStateNet.Actors.Transport.SameHost;
using Xunit.Abstractions;

namespace XStateNet.Actors.Sharding.Tests.MultiProcess;

/// <summary>
/// Three real processes in one cluster; counter machines sharded over them, persisted to SQLite. One node is killed
/// with <c>kill -9</c> half-way through the events; the survivors down it, its shards start again on them from the
/// stored states, and every machine's count ends equal to the events acknowledged to it. Over plain TCP, and over the
/// same-host fast path (akka.tcp addresses, shared-memory rings between the nodes), where every node is then restarted
/// once, one at a time, and every machine keeps its count. CI runs 120 machines × 6 events; set
/// <c>XSTATENET_SHARDING_FULL=1</c> for the issue's 10,000 machines × 10 events (100,000).
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class ShardedCounterSpecs : MultiNodeSpec<ShardedCounterRoles>
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"xstatenet-sharding-{Environment.ProcessId}-{Guid.NewGuid():N}.db");
    private string? _sameHostDirectory;

    public ShardedCounterSpecs(ITestOutputHelper output) : base(output)
    {
    }

    private static bool Full => Environment.GetEnvironmentVariable("XSTATENET_SHARDING_FULL") == "1";

    private static int Machines => Full ? 10_000 : 120;

    private static int EventsEach => Full ? 10 : 6;

    private static TimeSpan Wait => TimeSpan.FromSeconds(Full ? 900 : 120);

    [Fact]
    public async Task Over_plain_TCP_every_machine_counts_the_events_acknowledged_to_it_after_a_node_is_killed_half_way()
    {
        await StartCluster(sameHost: false);
        await KillHalfWayAndCheck();
    }

    [Fact]
    public async Task Over_the_same_host_fast_path_a_node_killed_half_way_loses_no_count_and_a_rolling_restart_keeps_all_states()
    {
        await StartCluster(sameHost: true);
        // Every pair of nodes runs on the ring: this spec is about the fast path, not a TCP fallback.
        await RunOn("a", ShardedCounterRoles.Nodes.Skip(1).Select(role => AddressOf(role).ToString()).ToArray(), static (node, peers) =>
        {
            foreach (var peer in peers.Select(Address.Parse))
            {
                var paths = SameHostPaths.For(node.System);
                Assert.True(paths.RingAssociations(peer) > 0 && paths.TcpAssociations(peer) == 0,
                    $"{node.Address} <-> {peer}: ring {paths.RingAssociations(peer)}, tcp {paths.TcpAssociations(peer)}");
            }
            return Task.CompletedTask;
        });
        await KillHalfWayAndCheck();

        // A rolling restart: c (killed above) comes back; then a and b, one at a time, leave the cluster gracefully
        // (their shards hand off: machines stop after their last state is stored), stop, and start again. After each
        // step every machine, asked from a node that stayed, still has its count.
        var clock = Stopwatch.StartNew();
        await Rejoin("c");
        await AwaitUp("a", 3);
        Note($"MEASURED c back after {clock.ElapsedMilliseconds:N0} ms");
        foreach (var (role, witness) in new[] { ("a", "b"), ("b", "c") })
        {
            await RunOn(witness, AddressOf(role).ToString(), static async (node, leaving) =>
            {
                var cluster = Cluster.Get(node.System);
                cluster.Leave(Address.Parse(leaving));
                while (cluster.State.Members.Any(member => member.Address.ToString() == leaving)) await Task.Delay(100);
            }, TimeSpan.FromSeconds(60));
            // Removed from the cluster, the node's actor system terminates and its process ends by itself.
            if (!await Node(role).WaitForExit(TimeSpan.FromSeconds(30))) await Kill(role);
            await Rejoin(role);
            await AwaitUp(witness, 3);
            await CheckCounts(witness, EventsEach);
            Note($"MEASURED {role} left, restarted, rejoined and every count checked after {clock.ElapsedMilliseconds:N0} ms");
        }

        // The restarted cluster goes on: one more event to every machine (the earlier ones, sent again by a new
        // driver, are acknowledged and not counted).
        await RunOn("a", $"{Machines} {EventsEach + 1}", static (node, plan) =>
        {
            var numbers = plan.Split(' ').Select(int.Parse).ToArray();
            node.System.ActorOf(Props.Create(() => new CounterDriver(numbers[0], numbers[1])), CounterDriver.Name);
            return Task.CompletedTask;
        });
        await RunOn("a", (long)Machines * (EventsEach + 1), static async (node, all) => await WaitForAcks(node, all), Wait);
        await CheckCounts("b", EventsEach + 1);
        Note($"MEASURED one more event to every machine counted after {clock.ElapsedMilliseconds:N0} ms");
    }

    private async Task StartCluster(bool sameHost)
    {
        await UseTransport("tcp"); // the same-host fast path keeps akka.tcp addresses: Akka's TCP with rings underneath
        if (sameHost)
        {
            var root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
            _sameHostDirectory = Directory.CreateDirectory(Path.Combine(root, "xsn-sharding-" + Guid.NewGuid().ToString("N")[..12])).FullName;
        }
        // a is the only seed at first: it forms the cluster, and b and c contact no one else before they have joined.
        var hocon = ShardedCounterRoles.RunHocon(_database, [AddressOf("a")], _sameHostDirectory);
        foreach (var role in ShardedCounterRoles.Nodes) ConfigureRole(role, hocon);
        var clock = Stopwatch.StartNew();
        if (sameHost)
        {
            // A node listens on TCP a moment before its ring's control socket exists; a peer that associates with it in
            // between stays on TCP for that association's life. So a is up before b and c start and contact it, and b
            // and c meet only once both are members.
            await StartNodes("a");
            await StartNodes("b", "c");
        }
        else
        {
            await StartNodes();
        }
        await AwaitUp("a", 3);
        // Up is not registered: a region that registers with the coordinator after the first events gets no shard
        // until a rebalance, and killing a node without shards loses nothing (seen once in CI: "no event was sent
        // again"). So the events start only once the coordinator knows all three regions, and each gets its share.
        await RunOn("a", static async node =>
        {
            var region = ShardedMachines.For(node.System).RegionOf("order-0");
            while (true)
            {
                var stats = await region.Ask<ClusterShardingStats>(new GetClusterShardingStats(TimeSpan.FromSeconds(5)), TimeSpan.FromSeconds(10));
                if (stats.Regions.Count >= 3) return;
                await Task.Delay(200);
            }
        }, TimeSpan.FromSeconds(60));
        Note($"MEASURED three nodes up and their regions registered after {clock.ElapsedMilliseconds:N0} ms");
    }

    /// <summary>Starts <paramref name="role"/> again, joining through the other nodes (never by itself, which would form a second cluster).</summary>
    private async Task Rejoin(string role)
    {
        var others = ShardedCounterRoles.Nodes.Where(node => node != role).Select(node => $"\"{AddressOf(node)}\"");
        ConfigureRole(role, $"akka.cluster.seed-nodes = [{string.Join(", ", others)}]");
        await StartNodes(role);
    }

    private async Task KillHalfWayAndCheck()
    {
        int machines = Machines, eventsEach = EventsEach, half = eventsEach / 2;
        var clock = Stopwatch.StartNew();
        await RunOn("a", $"{machines} {eventsEach} {half}", static (node, plan) =>
        {
            var numbers = plan.Split(' ').Select(int.Parse).ToArray();
            // It holds each machine's next event once half of that machine's are acknowledged, until released below.
            node.System.ActorOf(Props.Create(() => new CounterDriver(numbers[0], numbers[1], numbers[2])), CounterDriver.Name);
            return Task.CompletedTask;
        });
        await RunOn("a", 1L, static async (node, one) => await WaitForAcks(node, one), Wait);
        Note($"MEASURED first event acknowledged after {clock.ElapsedMilliseconds:N0} ms");
        await RunOn("a", (long)machines, static async (node, first) => await WaitForAcks(node, first), Wait);
        Note($"MEASURED {machines:N0} events (one per machine: every machine started) acknowledged after {clock.ElapsedMilliseconds:N0} ms");
        await RunOn("a", (long)machines * half, static async (node, held) => await WaitForAcks(node, held), Wait);
        Note($"MEASURED half of every machine's events ({machines * half:N0} of {machines * eventsEach:N0}) acknowledged after {clock.ElapsedMilliseconds:N0} ms");

        // Events in flight to c when it dies, however fast the machine runs: the driver holds every machine at
        // half-way; the test takes SQLite's write lock (the nodes' writes wait for it, up to their 30 s busy timeout),
        // releases the events (one to every machine, so one to each of c's, which cannot store them, so cannot
        // acknowledge them), kills c, and lets the writes go on. Over the same-host fast path c's death is known within
        // milliseconds, so without the lock a fast run could finish c's events before the kill and lose none. The
        // hold is per machine: the nodes share the SQLite file and progress unevenly, and a hold on the total once
        // found every machine of c done (CI, then 1 run in 6 here).
        await RunOn("c", static async node =>
        {
            var state = await ShardedMachines.For(node.System).RegionOf("order-0")
                .Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(10));
            Assert.True(state.Shards.Sum(shard => shard.EntityIds.Count) > 0, "c hosts no machine: killing it would lose nothing in flight");
        });
        using (var writeLock = new SqliteConnection($"Data Source={_database};Default Timeout=30;Pooling=False"))
        {
            writeLock.Open();
            using (var begin = writeLock.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE;";
                begin.ExecuteNonQuery();
            }
            await RunOn("a", static node =>
            {
                node.System.ActorSelection("/user/" + CounterDriver.Name).Tell(CounterDriver.Release.Instance);
                return Task.CompletedTask;
            });
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            await Kill("c");
            using var rollback = writeLock.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            rollback.ExecuteNonQuery();
        }
        var killedAt = clock.ElapsedMilliseconds;
        await RunOn("a", AddressOf("c").ToString(), static async (node, killed) =>
        {
            var cluster = Cluster.Get(node.System);
            while (cluster.State.Members.Any(member => member.Address.ToString() == killed)) await Task.Delay(100);
        }, TimeSpan.FromSeconds(60));
        Note($"MEASURED c downed and removed {clock.ElapsedMilliseconds - killedAt:N0} ms after kill -9");

        await RunOn("a", (long)machines * eventsEach, static async (node, all) => await WaitForAcks(node, all), Wait);
        Note($"MEASURED all {machines * eventsEach:N0} events acknowledged after {clock.ElapsedMilliseconds:N0} ms");

        await RunOn("a", static async node =>
        {
            var progress = await node.System.ActorSelection("/user/" + CounterDriver.Name)
                .Ask<CounterDriver.Progress>(CounterDriver.GetProgress.Instance, TimeSpan.FromSeconds(10));
            var counts = await Counts(node, progress.PerMachine.Length);
            var wrong = Enumerable.Range(0, counts.Length).Where(i => counts[i] != progress.PerMachine[i])
                .Select(i => $"order-{i}: count {counts[i]}, acknowledged {progress.PerMachine[i]}").ToList();
            Assert.True(wrong.Count == 0, $"{wrong.Count} machines differ: {string.Join("; ", wrong.Take(20))}");
            Assert.True(progress.Resent > 0, "no event was sent again: the kill lost nothing in flight, so the spec proved less than it claims");
        }, Wait);
        Note($"MEASURED every count checked after {clock.ElapsedMilliseconds:N0} ms");
    }

    /// <summary>Every machine, asked on <paramref name="role"/>'s node, counts <paramref name="expected"/>.</summary>
    private Task CheckCounts(string role, long expected) =>
        RunOn(role, $"{Machines} {expected}", static async (node, plan) =>
        {
            var numbers = plan.Split(' ').Select(long.Parse).ToArray();
            var counts = await Counts(node, (int)numbers[0]);
            var wrong = Enumerable.Range(0, counts.Length).Where(i => counts[i] != numbers[1]).Select(i => $"order-{i}: count {counts[i]}").ToList();
            Assert.True(wrong.Count == 0, $"{wrong.Count} machines do not count {numbers[1]}: {string.Join("; ", wrong.Take(20))}");
        }, Wait);

    /// <summary>
    /// The count of every machine <c>order-0</c> … <c>order-(machines-1)</c>, asked through the node's region, 100 at a
    /// time. An ask left unanswered for 30 s is logged at Warning (UNANSWERED, with the machine id) and asked again,
    /// up to three times: see the README (Sharded, persistent machines) for what such an ask met, when it happens.
    /// </summary>
    private static async Task<long[]> Counts(NodeContext node, int machines)
    {
        var sharded = ShardedMachines.For(node.System);
        var counts = new long[machines];
        for (var batch = 0; batch < machines; batch += 100)
        {
            var asks = Enumerable.Range(batch, Math.Min(100, machines - batch)).Select(async i =>
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        counts[i] = (long)(await sharded.GetSnapshotAsync($"order-{i}", TimeSpan.FromSeconds(30))).Context["count"]!;
                        return;
                    }
                    catch (AskTimeoutException) when (attempt < 3)
                    {
                        node.System.Log.Warning("UNANSWERED snapshot ask to order-{0} (attempt {1}, 30 s); asking again", i, attempt);
                    }
                }
            });
            await Task.WhenAll(asks);
        }
        return counts;
    }

    private async Task AwaitUp(string role, int members) =>
        await RunOn(role, members, static async (node, count) =>
        {
            var cluster = Cluster.Get(node.System);
            while (cluster.State.Members.Count(member => member.Status == MemberStatus.Up) < count || cluster.State.Members.Count != count) await Task.Delay(100);
        }, TimeSpan.FromSeconds(90));

    private static async Task WaitForAcks(NodeContext node, long count)
    {
        var driver = node.System.ActorSelection("/user/" + CounterDriver.Name);
        while (true)
        {
            var progress = await driver.Ask<CounterDriver.Progress>(CounterDriver.GetProgress.Instance, TimeSpan.FromSeconds(10));
            if (progress.Acked >= count) return;
            await Task.Delay(200);
        }
    }

    /// <summary>After the TestKit killed the children: the run's SQLite file and same-host directory go too.</summary>
    protected override void Dispose(bool disposing)
    {
        try
        {
            base.Dispose(disposing);
        }
        finally
        {
            if (disposing)
            {
                foreach (var file in new[] { _database, _database + "-wal", _database + "-shm", _database + "-journal" }) File.Delete(file);
                if (_sameHostDirectory is not null && Directory.Exists(_sameHostDirectory)) Directory.Delete(_sameHostDirectory, recursive: true);
            }
        }
    }
}
