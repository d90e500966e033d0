using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Sharding;
using XStateNet.Actors;
using XStateNet.Actors.Bench.Sharding;
using XStateNet.Actors.Inspection;
using XStateNet.Actors.Sharding;

// Sharded machines across three cluster nodes of this process (TCP on loopback), side by side in one run:
//   events/s to non-sharded machines (one node, told directly), to sharded machines in memory, and to sharded machines
//   persisted to SQLite; memory per active machine and per passivated machine; time to re-activate the machines from
//   SQLite in a new cluster. Every event is acknowledged (a Reply) before it counts.
// Usage: dotnet run -c Release --project bench/Sharding [-- --machines 10000 --events 100000]
var machines = Option("--machines", 10_000);
var events = (long)Option("--events", 100_000);
var database = Path.Combine(Path.GetTempPath(), $"xstatenet-bench-sharding-{Environment.ProcessId}.db");
Console.WriteLine($"{machines:N0} machines, {events:N0} events, three nodes in one process on {Environment.ProcessorCount} cores " +
                  $"(load average at start: {LoadAverage()}; the machine is shared, so absolute numbers are noisy, ratios less)");
const int PersistedWindow = 200;
var rows = new Rows();
try
{
    await using (var cluster = await BenchCluster.StartAsync(3, MachineStore.Sqlite(database)))
    {
        var first = cluster.Nodes[0];

        // 1. Non-sharded machines on one node, told directly.
        var plain = new IActorRef[machines];
        for (var i = 0; i < machines; i++) plain[i] = first.SpawnMachine($"plain-{i}", CounterMachine.Chart, CounterMachine.Actions);
        var plainRate = await LoadRun.RunAsync(first, (i, e, self) => plain[i].Tell(e, self), machines, events);
        rows.Add(("events/s, non-sharded machines (one node, told by ref)", $"{plainRate:N0}"));
        foreach (var machine in plain) first.Stop(machine);

        // 2. Sharded, in memory; memory per active machine measured around their first events.
        var before = Memory();
        await cluster.StartTypeAsync("mem", CounterMachine.Options(persisted: false).IdPrefix("mem-"));
        var memRegion = ShardedMachines.For(first);
        var activation = await LoadRun.RunAsync(first, (i, e, self) => memRegion.Tell($"mem-{i}", e, self), machines, machines);
        rows.Add(($"activations/s: first event to each of {machines:N0} sharded machines, in memory (shard homes allocated on the way)", $"{activation:N0}"));
        var memRate = await LoadRun.RunAsync(first, (i, e, self) => memRegion.Tell($"mem-{i}", e, self), machines, events);
        var active = Memory();
        rows.Add(("events/s, sharded, in memory (3 nodes), machines already active", $"{memRate:N0}  ({memRate / plainRate:0.00}× non-sharded)"));
        rows.Add(("bytes per active sharded machine (3 nodes' heap / machines)", $"{(active - before) / machines:N0}"));

        // 3. Sharded and persisted to SQLite after every event.
        await cluster.StartTypeAsync("order", CounterMachine.Options(persisted: true));
        var orders = ShardedMachines.For(first);
        // A smaller window: every event in flight is a write waiting for the one SQLite file.
        var persistedActivation = await LoadRun.RunAsync(first, (i, e, self) => orders.Tell($"order-{i}", e, self), machines, machines, PersistedWindow);
        rows.Add(($"activations/s: first event to each of {machines:N0} sharded machines, persisted", $"{persistedActivation:N0}"));
        var persistedRate = await LoadRun.RunAsync(first, (i, e, self) => orders.Tell($"order-{i}", e, self), machines, events, PersistedWindow);
        rows.Add(("events/s, sharded, persisted to SQLite after every event (3 nodes, one file), machines already active", $"{persistedRate:N0}  ({persistedRate / plainRate:0.00}× non-sharded)"));
    }

    // 4. A new cluster on the same file: every machine re-activated from SQLite, then passivated.
    await using (var cluster = await BenchCluster.StartAsync(3, MachineStore.Sqlite(database)))
    {
        await cluster.StartTypeAsync("order", CounterMachine.Options(persisted: true).PassivateAfter(TimeSpan.FromSeconds(5)));
        var orders = ShardedMachines.For(cluster.Nodes[0]);
        var idle = Memory();
        var clock = Stopwatch.StartNew();
        for (var batch = 0; batch < machines; batch += 1000)
        {
            var answers = Enumerable.Range(batch, Math.Min(1000, machines - batch)).Select(i => orders.GetSnapshotAsync($"order-{i}", TimeSpan.FromSeconds(120)));
            var snapshots = await Task.WhenAll(answers);
            if (snapshots.Any(s => (long)s.Context["count"]! == 0)) throw new InvalidOperationException("a machine came back without its count");
        }
        clock.Stop();
        var reactivated = Memory();
        rows.Add(($"re-activate {machines:N0} machines from SQLite (3 nodes)", $"{clock.Elapsed.TotalSeconds:N1} s ({machines / clock.Elapsed.TotalSeconds:N0} machines/s)"));
        rows.Add(("bytes per active persisted machine", $"{(reactivated - idle) / machines:N0}"));
        var wait = Stopwatch.StartNew();
        while (cluster.Nodes.Sum(node => MachineObservation.For(node).Machines.Count) > 0 && wait.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(500);
        var passivated = Memory();
        var left = cluster.Nodes.Sum(node => MachineObservation.For(node).Machines.Count);
        rows.Add(("bytes per passivated machine", $"{Math.Max(0, passivated - idle) / machines:N0} ({machines - left:N0} of {machines:N0} passivated after {wait.Elapsed.TotalSeconds:N0} s)"));
    }
}
finally
{
    foreach (var file in new[] { database, database + "-wal", database + "-shm" }) File.Delete(file);
}

Console.WriteLine($"(load average at end: {LoadAverage()})");
return 0;

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}

static long Memory()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    return GC.GetTotalMemory(forceFullCollection: true);
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

/// <summary>The result table, each row printed as soon as it is measured.</summary>
internal sealed class Rows
{
    public void Add((string What, string Value) row) => Console.WriteLine($"| {row.What} | {row.Value} |");
}
