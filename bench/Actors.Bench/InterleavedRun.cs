using System.Diagnostics;
using Akka.Actor;
using XStateNet.Actors;

namespace XStateNet.Actors.Bench.Actors;

/// <summary>
/// <c>--ab</c>: what telemetry costs, answered on a noisy machine. One process, three actor systems, one machine each
/// (the same chart): telemetry on with nobody listening, switched off (<c>xstatenet.telemetry.metrics/tracing = off</c>),
/// and switched off again (the A/A control: two identical variants, whose ratio shows the noise floor). Many short
/// rounds; in each, every variant runs once, in a shuffled order, with the "on" machine also run with a MeterListener
/// attached, and with a MeterListener and an ActivityListener attached (what the instruments cost when listened: proof the bench can see a cost). Each round
/// gives one ratio per pair, so the load of that moment hits both sides of it; the table summarises the ratios.
/// </summary>
internal static class InterleavedRun
{
    private const string Chart = """
        { "initial": "off", "states": {
            "off": { "on": { "TICK": { "target": "on", "actions": "count" } } },
            "on":  { "on": { "TICK": { "target": "off", "actions": "count" } } } } }
        """;

    public static async Task RunAsync(long eventsPerRound, int rounds, int seed)
    {
        var on = Variant.Create("bench-on", "");
        var off = Variant.Create("bench-off", "xstatenet.telemetry { metrics = off, tracing = off }");
        var offAgain = Variant.Create("bench-off2", "xstatenet.telemetry { metrics = off, tracing = off }");
        try
        {
            Console.WriteLine($"--ab: {rounds} rounds of {eventsPerRound:N0} events per variant, order shuffled each round (seed {seed}), " +
                              $"{Environment.ProcessorCount} cores, load average {LoadAverage()}");
            var kinds = new[] { "on", "off", "off2", "meters listened", "meters+traces listened" };
            async Task<double> Run(string kind) => kind switch
            {
                "on" => await on.RateAsync(eventsPerRound),
                "off" => await off.RateAsync(eventsPerRound),
                "off2" => await offAgain.RateAsync(eventsPerRound),
                "meters listened" => await ListenedAsync(on, eventsPerRound, metersOnly: true),
                _ => await ListenedAsync(on, eventsPerRound, metersOnly: false),
            };

            // Warm-up: every variant (and the listened path) until the JIT has settled on its final code.
            for (var i = 0; i < 3; i++)
                foreach (var kind in kinds) await Run(kind);

            var onVsOff = new PairedRatios("on, nobody listening / switched off");
            var control = new PairedRatios("switched off / switched off (A/A)");
            var metersVsOn = new PairedRatios("meters listened / on");
            var listenedVsOn = new PairedRatios("meters+traces listened / on");
            var rates = kinds.ToDictionary(k => k, _ => new List<double>());
            var random = new Random(seed);
            var clock = Stopwatch.StartNew();
            for (var round = 0; round < rounds; round++)
            {
                var rate = new Dictionary<string, double>();
                foreach (var kind in kinds.OrderBy(_ => random.Next())) rate[kind] = await Run(kind);
                foreach (var (kind, value) in rate) rates[kind].Add(value);
                onVsOff.Add(rate["on"], rate["off"]);
                control.Add(rate["off2"], rate["off"]);
                metersVsOn.Add(rate["meters listened"], rate["on"]);
                listenedVsOn.Add(rate["meters+traces listened"], rate["on"]);
            }

            Console.WriteLine($"{clock.Elapsed.TotalSeconds:0} s, load average {LoadAverage()} at the end");
            Console.WriteLine();
            Console.WriteLine($"| {"machine actor, 1 transition/event",-38} | {"events/s median",15} | {"min–max",25} |");
            Console.WriteLine($"| {new string('-', 38)} | {new string('-', 15)} | {new string('-', 25)} |");
            foreach (var kind in kinds)
            {
                var sorted = rates[kind].Order().ToArray();
                Console.WriteLine($"| {kind,-38} | {sorted[sorted.Length / 2],15:N0} | {$"{sorted[0]:N0}–{sorted[^1]:N0}",25} |");
            }
            Console.WriteLine();
            Console.WriteLine(PairedRatios.Header());
            Console.WriteLine(onVsOff.Row());
            Console.WriteLine(control.Row());
            Console.WriteLine(metersVsOn.Row());
            Console.WriteLine(listenedVsOn.Row());
            Console.WriteLine($"({Telemetry.Measurements:N0} measurements and {Telemetry.Activities:N0} activities seen by the listeners)");
        }
        finally
        {
            await on.DisposeAsync();
            await off.DisposeAsync();
            await offAgain.DisposeAsync();
        }
    }

    private static async Task<double> ListenedAsync(Variant on, long events, bool metersOnly)
    {
        using (Telemetry.Listen(metersOnly)) return await on.RateAsync(events);
    }

    internal static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>One actor system with the machine, and its counter.</summary>
    private sealed class Variant(ActorSystem system, IActorRef machine, RoundCounter counter) : IAsyncDisposable
    {
        private static readonly MachineEvent Tick = new("TICK");

        public static Variant Create(string name, string telemetry)
        {
            var system = ActorSystem.Create(name, "akka.loglevel = WARNING\n" + telemetry);
            var counter = new RoundCounter();
            var machine = system.SpawnMachine("toggle", Chart,
                new Dictionary<string, Action<OrchestratedContext>> { ["count"] = _ => counter.Count() });
            return new Variant(system, machine, counter);
        }

        public async Task<double> RateAsync(long events)
        {
            var done = counter.Start(events);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < events; i++) machine.Tell(Tick, ActorRefs.NoSender);
            await done;
            return events / clock.Elapsed.TotalSeconds;
        }

        public async ValueTask DisposeAsync() => await system.Terminate();
    }
}
