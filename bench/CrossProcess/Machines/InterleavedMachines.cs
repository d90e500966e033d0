using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Spectre.Console;

namespace XStateNet.Actors.Bench.CrossProcess.Machines;

/// <summary>
/// <c>--ab</c>: what telemetry costs machine events between processes, answered on a noisy machine. Both processes
/// (this one, the clients; a child, the echoes) run five pairs of actor systems side by side: two with telemetry on and
/// nobody listening, two switched off (<c>xstatenet.telemetry.metrics/tracing = off</c>, transports and machines; the
/// two of a setting are the A/A controls, whose ratio is the noise floor), and one on, with a MeterListener and an
/// ActivityListener attached in both processes during its rounds (proof the bench sees a cost when there is one). Many
/// short rounds; in each, every pair runs once, in a shuffled order. Each round gives one ratio per comparison, of events/s and of CPU
/// µs per event of both processes, so the load of that moment hits both sides of it.
/// </summary>
internal static class InterleavedMachines
{
    public const string ServeArgument = "--serve-machines-ab";

    private const string Listen = "LISTEN";
    private const string Unlisten = "UNLISTEN";
    private const string Done = "DONE ";

    /// <summary>The pairs: name and the telemetry switches of both of its systems.</summary>
    /// <remarks>
    /// Two pairs of each setting, created alternately, and the listened rounds on a pair of their own: a difference that
    /// only "the first systems" or "the systems that were listened to" have cannot pass for telemetry's.
    /// </remarks>
    private static readonly (string Name, string Telemetry)[] Pairs =
    [
        ("on", ""),
        ("off", Off),
        ("on2", ""),
        ("off2", Off),
        ("listened", ""),
    ];

    private const string Off = "xstatenet.telemetry { metrics = off, tracing = off }";

    private static string EchoId(string pair) => $"ab-echo-{pair}";

    private static string ClientId(string pair, int worker) => $"ab-client-{pair}-{worker}";

    /// <summary>A node of one pair: the transport's settings, its telemetry, explicit routes (no host directory).</summary>
    private static Config NodeConfig(TransportCase transport, string prefix, int port, string telemetry, string routes = "") =>
        ConfigurationFactory.ParseString($"{telemetry}\nxstatenet.directory.enabled = off\n{routes}")
            .WithFallback(MachineNodes.Config(transport, prefix, port));

    /// <summary>The child: one echo system per pair on consecutive ports from <paramref name="port"/>; listens when told on its input.</summary>
    public static async Task<int> ServeAsync(TransportCase transport, string prefix, int port)
    {
        var systems = Pairs.Select((pair, i) =>
        {
            var system = ActorSystem.Create(MachineEchoServer.SystemName + "-" + pair.Name, NodeConfig(transport, prefix, port + i, pair.Telemetry));
            // No route back: the echo answers the client machine it learned from the event (LearnedSenders).
            system.SpawnMachine(EchoId(pair.Name), MachineCharts.Echo, new Dictionary<string, Action<OrchestratedContext>>
            {
                ["reply"] = ctx => ctx.RequestSend(ctx.SourceMachineId!, "PONG"),
            });
            return system;
        }).ToArray();
        Console.WriteLine($"{EchoServer.ReadyPrefix}{((ExtendedActorSystem)systems[0]).Provider.DefaultAddress} {Environment.ProcessId}");
        Console.Out.Flush();
        IDisposable? listening = null;
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line == Listen) listening ??= BenchTelemetry.Listen();
            else if (line == Unlisten)
            {
                listening?.Dispose();
                listening = null;
            }
            Console.WriteLine(Done + line);
            Console.Out.Flush();
        }
        listening?.Dispose();
        foreach (var system in systems) await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        return 0;
    }

    public static async Task RunAsync(TransportCase transport, string prefix, BenchSettings settings, int rounds, TimeSpan window, int seed)
    {
        var basePort = MachineNodes.FreePort(transport);
        using var server = await ChildServer.StartAsync([ServeArgument, transport.Name, "--prefix", prefix, "--port", basePort.ToString()],
            transport.Name + " machine echo (A/B)", TimeSpan.FromSeconds(60), keepOutput: true);
        var pairs = Pairs.Select((pair, i) => Pair.Create(transport, prefix, basePort + i, pair.Name, pair.Telemetry, settings)).ToArray();
        try
        {
            AnsiConsole.MarkupLine($"[bold]{transport.Name}, --ab[/]: {rounds} rounds, each pair {window.TotalMilliseconds:0} ms measured per round " +
                                   $"({settings.Workers} client machines x {settings.Window} in flight), order shuffled (seed {seed}); client pid " +
                                   $"{Environment.ProcessId}, server pid {server.ProcessId}; load average {LoadAverage()}");
            var kinds = Pairs.Select(p => p.Name).ToArray();
            async Task<(double Rate, double Cpu)> Run(string kind)
            {
                var pair = pairs.Single(p => p.Name == kind);
                if (kind != "listened") return await pair.RoundAsync(window, server.ProcessId);
                await TellAsync(server, Listen);
                try
                {
                    using (BenchTelemetry.Listen()) return await pair.RoundAsync(window, server.ProcessId);
                }
                finally
                {
                    await TellAsync(server, Unlisten);
                }
            }

            for (var i = 0; i < 3; i++)
                foreach (var kind in kinds) await Run(kind); // warm-up: associations, JIT

            var rate = new[]
            {
                new PairedRatios("events/s: on·on2 / off·off2"), new PairedRatios("events/s: on2 / on (A/A)"),
                new PairedRatios("events/s: off2 / off (A/A)"), new PairedRatios("events/s: listened / on·on2"),
            };
            // CPU per event: lower is better, so the ratios are turned over (below 1: the first named costs more), as for the rates.
            var cpu = new[]
            {
                new PairedRatios("CPU/event: off·off2 / on·on2"), new PairedRatios("CPU/event: on / on2 (A/A)"),
                new PairedRatios("CPU/event: off / off2 (A/A)"), new PairedRatios("CPU/event: on·on2 / listened"),
            };
            var all = kinds.ToDictionary(k => k, _ => new List<double>());
            var random = new Random(seed);
            var clock = Stopwatch.StartNew();
            for (var round = 0; round < rounds; round++)
            {
                var result = new Dictionary<string, (double Rate, double Cpu)>();
                foreach (var kind in kinds.OrderBy(_ => random.Next())) result[kind] = await Run(kind);
                foreach (var (kind, value) in result) all[kind].Add(value.Rate);
                double Both(string a, string b, Func<(double Rate, double Cpu), double> of) => Math.Sqrt(of(result[a]) * of(result[b]));
                rate[0].Add(Both("on", "on2", r => r.Rate), Both("off", "off2", r => r.Rate));
                rate[1].Add(result["on2"].Rate, result["on"].Rate);
                rate[2].Add(result["off2"].Rate, result["off"].Rate);
                rate[3].Add(result["listened"].Rate, Both("on", "on2", r => r.Rate));
                cpu[0].Add(Both("off", "off2", r => r.Cpu), Both("on", "on2", r => r.Cpu));
                cpu[1].Add(result["on"].Cpu, result["on2"].Cpu);
                cpu[2].Add(result["off"].Cpu, result["off2"].Cpu);
                cpu[3].Add(Both("on", "on2", r => r.Cpu), result["listened"].Cpu);
            }

            Console.WriteLine($"{clock.Elapsed.TotalSeconds:0} s, load average {LoadAverage()} at the end");
            foreach (var kind in kinds)
            {
                var sorted = all[kind].Order().ToArray();
                Console.WriteLine($"  {kind,-9} machine events/s (both directions) median {sorted[sorted.Length / 2],10:N0}, {sorted[0]:N0}–{sorted[^1]:N0}");
            }
            Console.WriteLine(PairedRatios.Header());
            foreach (var ratios in rate.Concat(cpu)) Console.WriteLine(ratios.Row());
        }
        finally
        {
            foreach (var pair in pairs) await pair.DisposeAsync();
        }
    }

    private static async Task TellAsync(ChildServer server, string line)
    {
        await server.SendAsync(line);
        await server.ReadLineAsync(Done + line, TimeSpan.FromSeconds(30));
    }

    private static string LoadAverage()
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

    /// <summary>The client side of one pair: its system and client machines, which keep a window of PINGs to its echo.</summary>
    private sealed class Pair(string name, ActorSystem system, IReadOnlyList<IActorRef> machines) : IAsyncDisposable
    {
        public string Name { get; } = name;

        public RoundTripCounter Counter { get; set; } = new();

        public static Pair Create(TransportCase transport, string prefix, int serverPort, string name, string telemetry, BenchSettings settings)
        {
            var echo = new RootActorPath(new Address("akka." + transport.Name, MachineEchoServer.SystemName + "-" + name,
                MachineNodes.ServerAddress(transport, prefix, serverPort).Host, serverPort)) / "user" / EchoId(name);
            var system = ActorSystem.Create("MachineClient-" + name,
                NodeConfig(transport, prefix, 0, telemetry, $"xstatenet.machines.\"{EchoId(name)}\" = \"{echo}\""));
            Pair? pair = null;
            var machines = Enumerable.Range(0, settings.Workers)
                .Select(worker => system.SpawnMachine(ClientId(name, worker), MachineCharts.Client,
                    new Dictionary<string, Action<OrchestratedContext>>
                    {
                        ["burst"] = ctx =>
                        {
                            for (var i = 0; i < settings.Window; i++) ctx.RequestSend(EchoId(name), "PING");
                        },
                        ["next"] = ctx =>
                        {
                            var counter = pair!.Counter;
                            counter.Add();
                            if (!counter.Stopped) ctx.RequestSend(EchoId(name), "PING");
                        },
                    }))
                .ToList();
            pair = new Pair(name, system, machines);
            return pair;
        }

        /// <summary>One round: the windows started, a short settle, <paramref name="window"/> measured, then drained.</summary>
        public async Task<(double Rate, double Cpu)> RoundAsync(TimeSpan window, int serverPid)
        {
            var counter = Counter = new RoundTripCounter();
            foreach (var machine in machines) machine.Tell(new MachineEvent("START"));
            var settle = Stopwatch.StartNew();
            while (counter.Count < machines.Count * 50L && settle.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(10);
            var before = counter.Count;
            var cpuBefore = CpuClock.Read(serverPid);
            var clock = Stopwatch.StartNew();
            await Task.Delay(window);
            var after = counter.Count;
            var cpuAfter = CpuClock.Read(serverPid);
            var elapsed = clock.Elapsed;
            counter.Stop();
            // Drained when no reply came for 100 ms: the next pair starts on a quiet machine.
            var last = counter.Count;
            var drain = Stopwatch.StartNew();
            while (drain.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
                var now = counter.Count;
                if (now == last) break;
                last = now;
            }
            var events = (after - before) * 2.0; // a PING and a PONG per round trip, as the machine rows count
            return (events / elapsed.TotalSeconds, CpuClock.MicrosPerMessage(cpuBefore, cpuAfter, events));
        }

        public async ValueTask DisposeAsync() => await system.Terminate();
    }
}
