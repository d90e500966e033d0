using System.Diagnostics;
using Akka.Actor;
using XStateNet.Actors;
using XStateNet.Actors.Bench.Sharding;
using XStateNet.Actors.Inspection;
using XStateNet.Actors.Sharding;

// Sharded machines across three cluster nodes of this process (Akka's TCP on loopback, one SQLite file), side by side
// in one run, every event acknowledged (a Reply) before it counts:
//   1. non-sharded machines on one node, told by ref: events/s, heap per idle machine;
//   2. sharded machines in memory: first event to each (activation), events/s, heap per idle machine; heap per
//      passivated machine, measured on machines of a second type that passivates them after --passivate-after;
//   3. sharded machines persisted to SQLite after every event: first event to each, events/s;
//   4. a new cluster on the same file: time to re-activate machines from SQLite (a snapshot ask each).
// Usage: dotnet run -c Release --project bench/Sharding [-- --machines 100000 --events 100000 --reactivate 10000
//        --persisted-machines 10000 --passivated-machines 20000 --passivate-after 10 --persisted-only --nodes 3
//        --hocon "<settings>" --without-sqlite-setup]
// Persisted machines default to at most 10,000: on the shared 2-core machine a persisted machine's first event (its
// recovery query and first write to the one SQLite file) ran at ~50/s, so 100,000 would take over half an hour.
var machines = Option("--machines", 100_000);
var events = (long)Option("--events", 100_000);
var persistedMachines = Option("--persisted-machines", Math.Min(machines, 10_000));
var reactivate = Math.Min(Option("--reactivate", 10_000), persistedMachines);
var passivatedMachines = Option("--passivated-machines", Math.Min(machines, 20_000));
var passivateAfter = TimeSpan.FromSeconds(Option("--passivate-after", 10));
// --persisted-only: only the persisted rows (no plain, in-memory or passivation runs), to compare store settings
// side by side; --nodes: cluster nodes in the process (default 3), all sharing the one SQLite file.
var persistedOnly = args.Contains("--persisted-only");
var nodes = Option("--nodes", 3);
// --hocon "<settings>": added over the store's settings, e.g. to compare Akka.Persistence settings side by side.
var extraAt = Array.IndexOf(args, "--hocon");
var store = extraAt >= 0 && extraAt + 1 < args.Length ? Akka.Configuration.ConfigurationFactory.ParseString(args[extraAt + 1]) : Akka.Configuration.Config.Empty;
var database = Path.Combine(Path.GetTempPath(), $"xstatenet-bench-sharding-{Environment.ProcessId}.db");
// The runtime's SQLite machine store with its actor-system setup (busy_timeout and synchronous on every connection),
// as Akka.Hosting's WithSqliteMachineStore gives it; --without-sqlite-setup: its HOCON alone, as before the setup existed.
var persistenceSetup = args.Contains("--without-sqlite-setup") ? null : MachineStore.SqliteSetup(database);
Console.WriteLine($"{machines:N0} machines, {events:N0} events ({persistedMachines:N0} machines persisted, {passivatedMachines:N0} passivated, {reactivate:N0} re-activated; " +
                  $"SQLite store {(persistenceSetup is null ? "without" : "with")} its connection setup); " +
                  $"three cluster nodes in one process on {Environment.ProcessorCount} cores; load average at start: {LoadAverage()}");
const int PersistedWindow = 200; // every event in flight is a write waiting for the one SQLite file
var rows = new List<(string What, string Value)>();
void Row(string what, string value)
{
    rows.Add((what, value));
    Console.WriteLine($"  {what}: {value}   (load {LoadAverage()})");
}

try
{
    await using (var cluster = await BenchCluster.StartAsync(nodes, store.WithFallback(MachineStore.Sqlite(database)), persistenceSetup))
    {
        var first = cluster.Nodes[0];
        double plainRate = double.NaN, memRate = double.NaN, activation = double.NaN;
        if (!persistedOnly)
        {

        // 1. Non-sharded machines on one node, told by ref.
        var before = Memory();
        var plain = new IActorRef[machines];
        for (var i = 0; i < machines; i++) plain[i] = first.SpawnMachine(CounterMachine.Plain($"plain-{i}"));
        plainRate = await LoadRun.RunAsync(first, (i, e, self) => plain[i].Tell(e, self), machines, Math.Min(events, machines)); // warm-up: JIT, first steps
        var plainBytes = (Memory() - before) / (double)machines;
        plainRate = await LoadRun.RunAsync(first, (i, e, self) => plain[i].Tell(e, self), machines, events);
        Row($"events/s, {machines:N0} non-sharded machines (one node, told by ref)", $"{plainRate:N0}");
        Row("heap per idle non-sharded machine", $"{plainBytes:N0} bytes");
        foreach (var machine in plain) first.Stop(machine);
        plain = [];
        await Until(() => Active(cluster, "plain-") == 0, TimeSpan.FromMinutes(2));

        // 2. Sharded, in memory: activation, events, heap per idle machine.
        before = Memory();
        await cluster.StartTypeAsync("mem", CounterMachine.Options("mem-", persisted: false));
        var mem = ShardedMachines.For(first);
        activation = await LoadRun.RunAsync(first, (i, e, self) => mem.Tell($"mem-{i}", e, self), machines, machines);
        memRate = await LoadRun.RunAsync(first, (i, e, self) => mem.Tell($"mem-{i}", e, self), machines, events);
        var memBytes = (Memory() - before) / (double)machines;
        Row($"first event to each of {machines:N0} sharded machines, in memory (activation)", $"{activation:N0} machines/s");
        Row($"events/s, {machines:N0} sharded machines in memory ({nodes} nodes), already active", $"{memRate:N0} ({memRate / plainRate:0.00}x non-sharded)");
        Row($"heap per idle sharded machine ({nodes} nodes' heap / machines)", $"{memBytes:N0} bytes ({memBytes / plainBytes:0.0}x non-sharded)");

        // What a passivated machine still costs: machines of a type that passivates them after a short idle time get
        // one event each, then the heap is measured once every one of them has passivated.
        before = Memory();
        await cluster.StartTypeAsync("idle", CounterMachine.Options("idle-", persisted: false, passivateAfter));
        var idle = ShardedMachines.For(first);
        await LoadRun.RunAsync(first, (i, e, self) => idle.Tell($"idle-{i}", e, self), passivatedMachines, passivatedMachines);
        var passivation = Stopwatch.StartNew();
        await Until(() => Active(cluster, "idle-") == 0, passivateAfter + TimeSpan.FromMinutes(3));
        var passivatedBytes = (Memory() - before) / (double)passivatedMachines;
        Row($"heap per passivated sharded machine ({passivatedMachines:N0} machines, all passivated {passivation.Elapsed.TotalSeconds:N0} s after the last event)",
            $"{passivatedBytes:N0} bytes ({passivatedBytes / memBytes:0.00}x an idle one)");
        }

        // 3. Sharded and persisted to SQLite after every event.
        await cluster.StartTypeAsync("order", CounterMachine.Options("order-", persisted: true));
        var orders = ShardedMachines.For(first);
        var persistedEvents = events * persistedMachines / machines;
        var persistedActivation = await LoadRun.RunAsync(first, (i, e, self) => orders.Tell($"order-{i}", e, self), persistedMachines, persistedMachines, PersistedWindow);
        Row($"first event to each of {persistedMachines:N0} sharded machines, persisted (recovery query + first write)", $"{persistedActivation:N0} machines/s ({persistedActivation / activation:0.00}x in memory)");
        var persistedRate = await LoadRun.RunAsync(first, (i, e, self) => orders.Tell($"order-{i}", e, self), persistedMachines, persistedEvents, PersistedWindow);
        Row($"events/s, {persistedMachines:N0} sharded machines persisted to SQLite after every event ({nodes} nodes, one file), already active",
            $"{persistedRate:N0} ({persistedRate / plainRate:0.000}x non-sharded, {persistedRate / memRate:0.000}x in memory)");
    }

    // 4. A new cluster on the same file: machines re-activated from SQLite by a snapshot ask each, 1,000 at a time.
    await using (var cluster = await BenchCluster.StartAsync(nodes, store.WithFallback(MachineStore.Sqlite(database)), persistenceSetup))
    {
        await cluster.StartTypeAsync("order", CounterMachine.Options("order-", persisted: true));
        var orders = ShardedMachines.For(cluster.Nodes[0]);
        var before = Memory();
        var clock = Stopwatch.StartNew();
        for (var batch = 0; batch < reactivate; batch += 1000)
        {
            var answers = Enumerable.Range(batch, Math.Min(1000, reactivate - batch)).Select(i => orders.GetSnapshotAsync($"order-{i}", TimeSpan.FromSeconds(120)));
            var snapshots = await Task.WhenAll(answers);
            if (snapshots.Any(s => (long)s.Context["count"]! == 0)) throw new InvalidOperationException("a machine came back without its count");
        }
        clock.Stop();
        Row($"re-activate {reactivate:N0} machines from SQLite (new cluster, {nodes} nodes)", $"{clock.Elapsed.TotalSeconds:N1} s ({reactivate / clock.Elapsed.TotalSeconds:N0} machines/s)");
        Row("heap per re-activated persisted machine", $"{(Memory() - before) / (double)reactivate:N0} bytes");
    }
}
finally
{
    foreach (var file in new[] { database, database + "-wal", database + "-shm" }) File.Delete(file);
}

Console.WriteLine($"load average at end: {LoadAverage()} (2 cores, shared with other work: absolute numbers are noisy, ratios less)");
Console.WriteLine();
Console.WriteLine("| measure | result |");
Console.WriteLine("| --- | ---: |");
foreach (var (what, value) in rows) Console.WriteLine($"| {what} | {value} |");
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

static int Active(BenchCluster cluster, string prefix) =>
    cluster.Nodes.Sum(node => MachineObservation.For(node).Machines.Count(machine => machine.Id.StartsWith(prefix, StringComparison.Ordinal)));

static async Task Until(Func<bool> condition, TimeSpan limit)
{
    var clock = Stopwatch.StartNew();
    while (!condition())
    {
        if (clock.Elapsed > limit) throw new TimeoutException($"not within {limit.TotalSeconds:N0} s");
        await Task.Delay(500);
    }
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
