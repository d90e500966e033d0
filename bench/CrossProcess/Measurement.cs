using System.Diagnostics;
using Akka.Actor;

namespace XStateNet.Actors.Bench.CrossProcess;

/// <summary>What one transport achieved.</summary>
/// <param name="CpuMicrosPerMessage">CPU µs per message of both processes during the throughput window (NaN: not measured).</param>
internal sealed record TransportResult(string Name, double MessagesPerSecond, double P50Micros, double P99Micros, double CpuMicrosPerMessage);

/// <summary>How long and how hard to measure.</summary>
internal sealed record BenchSettings(int Workers, int Window, TimeSpan Warmup, TimeSpan Duration, int RoundTrips)
{
    public static BenchSettings Full { get; } = new(4, 200, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), 20_000);

    public static BenchSettings Quick { get; } = new(4, 200, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), 3_000);
}

/// <summary>Throughput and round-trip latency against an echo actor, from a client system.</summary>
internal static class Measurement
{
    /// <param name="serverPid">The echo server's process, whose CPU time counts with ours; null when it is this process.</param>
    public static async Task<TransportResult> RunAsync(string name, ActorSystem client, ActorPath echoPath, BenchSettings settings, int? serverPid = null)
    {
        var echo = await client.ActorSelection(echoPath).ResolveOne(TimeSpan.FromSeconds(20));
        var (p50, p99) = await LatencyAsync(client, echo, settings);
        var (rate, cpu) = await ThroughputAsync(client, echo, settings, serverPid ?? Environment.ProcessId);
        return new TransportResult(name, rate, p50, p99, serverPid is null ? double.NaN : cpu);
    }

    /// <summary>Messages per second, both directions counted (each round trip is two messages), and CPU µs per message.</summary>
    /// <param name="payload">What each message is; null: small numbers.</param>
    public static async Task<(double Rate, double CpuMicros)> ThroughputAsync(ActorSystem client, IActorRef echo, BenchSettings settings, int serverPid,
        object? payload = null)
    {
        var counter = new RoundTripCounter();
        var workers = Enumerable.Range(0, settings.Workers)
            .Select(_ => client.ActorOf(Props.Create(() => new ThroughputWorker(echo, settings.Window, counter, payload))))
            .ToList();
        workers.ForEach(w => w.Tell(ThroughputWorker.Start));
        var result = await MeasureWindowAsync(counter, settings, serverPid);
        workers.ForEach(w => w.Tell(PoisonPill.Instance));
        return result;
    }

    /// <summary>
    /// Warms up, then counts the round trips of <paramref name="counter"/> and the CPU time of both processes over
    /// the measured window, then stops the senders and lets the windows drain. Messages per second (both directions
    /// counted: each round trip is two messages) and CPU µs per message.
    /// </summary>
    public static async Task<(double Rate, double CpuMicros)> MeasureWindowAsync(RoundTripCounter counter, BenchSettings settings, int serverPid)
    {
        // Warm up for the set time and until every window has gone round a few times: on a loaded machine the first
        // resolve, association and JIT can take longer than the warm-up, and a window measured then is noise.
        await Task.Delay(settings.Warmup);
        var warm = Stopwatch.StartNew();
        while (counter.Count < 5L * settings.Workers * settings.Window && warm.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(100);
        var before = counter.Count;
        var cpuBefore = CpuClock.Read(serverPid);
        var clock = Stopwatch.StartNew();
        await Task.Delay(settings.Duration);
        var after = counter.Count;
        var cpuAfter = CpuClock.Read(serverPid);
        var elapsed = clock.Elapsed;
        counter.Stop();

        // Let the windows drain so the next measurement starts quiet.
        await Task.Delay(500);
        var messages = (after - before) * 2.0;
        return (messages / elapsed.TotalSeconds, CpuClock.MicrosPerMessage(cpuBefore, cpuAfter, messages));
    }

    private static async Task<(double P50, double P99)> LatencyAsync(ActorSystem client, IActorRef echo, BenchSettings settings)
    {
        // A short warm-up run first (JIT, association, buffers), then the measured one.
        await RoundTripsAsync(client, echo, Math.Max(500, settings.RoundTrips / 5));
        var ticks = await RoundTripsAsync(client, echo, settings.RoundTrips);
        Array.Sort(ticks);
        return (Micros(ticks[ticks.Length / 2]), Micros(ticks[(int)(ticks.Length * 0.99)]));
    }

    private static async Task<long[]> RoundTripsAsync(ActorSystem client, IActorRef echo, int count)
    {
        var done = new TaskCompletionSource<long[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = client.ActorOf(Props.Create(() => new LatencyWorker(echo, count, done)));
        worker.Tell(LatencyWorker.Start);
        var ticks = await done.Task.WaitAsync(TimeSpan.FromSeconds(120));
        worker.Tell(PoisonPill.Instance);
        return ticks;
    }

    private static double Micros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
}
