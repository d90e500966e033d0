using System.Diagnostics;
using Akka.Actor;
using XStateNet.Actors;

namespace XStateNet.Actors.Bench.Actors;

/// <summary>
/// <c>--ab</c>: what telemetry costs, answered on a noisy machine. One process, six actor systems, one machine each
/// (the same chart): two with telemetry on and nobody listening, two switched off (<c>xstatenet.telemetry.metrics/tracing
/// = off</c>; the two of a setting are the A/A controls, whose ratio is the noise floor), and two on that are listened
/// to during their rounds, one with a MeterListener, one with a MeterListener and an ActivityListener (what the
/// instruments cost when listened: proof the bench can see a cost). Many short rounds; in each, every variant runs once,
/// in a shuffled order. Each round gives one ratio per pair, so the load of that moment hits both sides of it; the
/// table summarises the ratios.
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
        // Two systems of each setting, created alternately, and the listened rounds on a system of their own: a
        // difference that only "the first system" or "the system that was listened to" has cannot pass for telemetry's.
        const string Off = "xstatenet.telemetry { metrics = off, tracing = off }";
        var variants = new (string Kind, Variant Variant)[]
        {
            ("on", Variant.Create("bench-on", "")),
            ("off", Variant.Create("bench-off", Off)),
            ("on2", Variant.Create("bench-on2", "")),
            ("off2", Variant.Create("bench-off2", Off)),
            ("meters listened", Variant.Create("bench-listened-m", "")),
            ("meters+traces listened", Variant.Create("bench-listened", "")),
        };
        try
        {
            Console.WriteLine($"--ab: {rounds} rounds of {eventsPerRound:N0} events per variant, order shuffled each round (seed {seed}), " +
                              $"{Environment.ProcessorCount} cores, load average {LoadAverage()}");
            var kinds = variants.Select(v => v.Kind).ToArray();
            async Task<double> Run(string kind)
            {
                var variant = variants.Single(v => v.Kind == kind).Variant;
                if (!kind.EndsWith("listened", StringComparison.Ordinal)) return await variant.RateAsync(eventsPerRound);
                using (Telemetry.Listen(metersOnly: kind == "meters listened")) return await variant.RateAsync(eventsPerRound);
            }

            // Warm-up: every variant (and the listened path) until the JIT has settled on its final code.
            for (var i = 0; i < 3; i++)
                foreach (var kind in kinds) await Run(kind);

            var ratios = new[]
            {
                new PairedRatios("on / off"),
                new PairedRatios("on2 / off2"),
                new PairedRatios("on·on2 / off·off2 (geometric)"),
                new PairedRatios("on2 / on (A/A)"),
                new PairedRatios("off2 / off (A/A)"),
                new PairedRatios("meters listened / on·on2 (geometric)"),
                new PairedRatios("meters+traces listened / on·on2"),
            };
            var rates = kinds.ToDictionary(k => k, _ => new List<double>());
            var random = new Random(seed);
            var clock = Stopwatch.StartNew();
            for (var round = 0; round < rounds; round++)
            {
                var rate = new Dictionary<string, double>();
                foreach (var kind in kinds.OrderBy(_ => random.Next())) rate[kind] = await Run(kind);
                foreach (var (kind, value) in rate) rates[kind].Add(value);
                var on = Math.Sqrt(rate["on"] * rate["on2"]);
                ratios[0].Add(rate["on"], rate["off"]);
                ratios[1].Add(rate["on2"], rate["off2"]);
                ratios[2].Add(on, Math.Sqrt(rate["off"] * rate["off2"]));
                ratios[3].Add(rate["on2"], rate["on"]);
                ratios[4].Add(rate["off2"], rate["off"]);
                ratios[5].Add(rate["meters listened"], on);
                ratios[6].Add(rate["meters+traces listened"], on);
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
            foreach (var pair in ratios) Console.WriteLine(pair.Row());
            Console.WriteLine($"({Telemetry.Measurements:N0} measurements and {Telemetry.Activities:N0} activities seen by the listeners)");
        }
        finally
        {
            foreach (var (_, variant) in variants) await variant.DisposeAsync();
        }
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
