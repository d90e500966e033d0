using System.Diagnostics;
using Akka.Actor;
using XStateNet.Actors;
using XStateNet.Actors.Bench.Actors;

// Events per second through a machine actor (one transition per event) beside a bare ReceiveActor handling the
// same messages, in one run on one actor system. The ratio is what matters: machines are noisy. A third row runs the
// same machine with a MeterListener on the machines' meter and an ActivityListener recording every step's activity,
// attached for its rounds only: the cost of being observed, beside the cost of nobody listening.
var events = args.Length > 0 && long.TryParse(args[0], out var n) ? n : 1_000_000;
// --ab [rounds]: the interleaved comparison of telemetry on / switched off / listened (InterleavedRun); the first
// argument is then the events per round of each variant (default 200,000).
if (Array.IndexOf(args, "--ab") is var ab and >= 0)
{
    var abRounds = ab + 1 < args.Length && int.TryParse(args[ab + 1], out var r) ? r : 40;
    var perRound = args.Length > 0 && long.TryParse(args[0], out var p) ? p : 200_000;
    var seed = Environment.GetEnvironmentVariable("BENCH_SEED") is { } s && int.TryParse(s, out var parsedSeed) ? parsedSeed : Environment.TickCount;
    await InterleavedRun.RunAsync(perRound, abRounds, seed);
    return;
}
var observedRow = !args.Contains("--no-observed"); // without the third row: the first two exactly as before
// --switched-off: one more row, the same machine in a second actor system with xstatenet.telemetry.metrics and
// .tracing off, so that "on and nobody listening" and "switched off" are compared within one run.
var switchedOffRow = args.Contains("--switched-off");
const int rounds = 5;

using var system = ActorSystem.Create("bench", "akka.loglevel = WARNING");
var bareCounter = new RoundCounter();
var machineCounter = new RoundCounter();
var bare = system.ActorOf(Props.Create(() => new CountingActor(bareCounter)), "bare");
var machine = system.SpawnMachine("toggle", """
    { "initial": "off", "states": {
        "off": { "on": { "TICK": { "target": "on", "actions": "count" } } },
        "on":  { "on": { "TICK": { "target": "off", "actions": "count" } } } } }
    """, new Dictionary<string, Action<OrchestratedContext>> { ["count"] = _ => machineCounter.Count() });

var offCounter = new RoundCounter();
using var offSystem = switchedOffRow
    ? ActorSystem.Create("bench-off", "akka.loglevel = WARNING\nxstatenet.telemetry { metrics = off, tracing = off }")
    : null;
var offMachine = offSystem?.SpawnMachine("toggle", """
    { "initial": "off", "states": {
        "off": { "on": { "TICK": { "target": "on", "actions": "count" } } },
        "on":  { "on": { "TICK": { "target": "off", "actions": "count" } } } } }
    """, new Dictionary<string, Action<OrchestratedContext>> { ["count"] = _ => offCounter.Count() });

var tick = new MachineEvent("TICK");
async Task<double> Rate(IActorRef target, RoundCounter counter)
{
    var done = counter.Start(events);
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < events; i++) target.Tell(tick, ActorRefs.NoSender);
    await done;
    return events / clock.Elapsed.TotalSeconds;
}

Console.WriteLine($"{events:N0} events per round, {rounds} rounds after a warm-up, {Environment.ProcessorCount} cores");
await Rate(bare, bareCounter);
await Rate(machine, machineCounter);
if (offMachine is not null) await Rate(offMachine, offCounter);
if (observedRow)
{
    using (Telemetry.Listen()) await Rate(machine, machineCounter);
}
var bareRates = new List<double>();
var machineRates = new List<double>();
var observedRates = new List<double>();
var offRates = new List<double>();
for (var round = 0; round < rounds; round++)
{
    bareRates.Add(await Rate(bare, bareCounter));
    machineRates.Add(await Rate(machine, machineCounter));
    if (offMachine is not null) offRates.Add(await Rate(offMachine, offCounter));
    if (!observedRow) continue;
    using (Telemetry.Listen()) observedRates.Add(await Rate(machine, machineCounter));
}

var bareMedian = Median(bareRates);
var machineMedian = Median(machineRates);
Console.WriteLine();
Console.WriteLine($"| {"actor",-34} | {"events/s (median)",17} | {"best",12} | {"ratio",6} |");
Console.WriteLine($"| {new string('-', 34)} | {new string('-', 17)} | {new string('-', 12)} | {new string('-', 6)} |");
Console.WriteLine($"| {"bare ReceiveActor",-34} | {bareMedian,17:N0} | {bareRates.Max(),12:N0} | {1.0,6:0.00} |");
Console.WriteLine($"| {"machine actor (1 transition/event)",-34} | {machineMedian,17:N0} | {machineRates.Max(),12:N0} | {machineMedian / bareMedian,6:0.00} |");
if (offMachine is not null)
{
    var offMedian = Median(offRates);
    Console.WriteLine($"| {"machine, telemetry switched off",-34} | {offMedian,17:N0} | {offRates.Max(),12:N0} | {offMedian / bareMedian,6:0.00} |");
}
if (observedRow)
{
    var observedMedian = Median(observedRates);
    Console.WriteLine($"| {"machine, meters + traces listened",-34} | {observedMedian,17:N0} | {observedRates.Max(),12:N0} | {observedMedian / bareMedian,6:0.00} |");
    Console.WriteLine($"({Telemetry.Measurements:N0} measurements and {Telemetry.Activities:N0} activities seen by the listeners)");
}
Console.WriteLine();
Console.WriteLine(machineMedian >= bareMedian / 2
    ? "goal met: the machine actor reaches at least half the bare actor's rate"
    : "goal missed: the machine actor is below half the bare actor's rate");
await system.Terminate();
if (offSystem is not null) await offSystem.Terminate();

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}
