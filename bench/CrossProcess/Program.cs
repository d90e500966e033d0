using Akka.Actor;
using Spectre.Console;
using XStateNet.Actors.Bench.CrossProcess;

// Cross-process benchmark: for each transport an echo server runs as a child process (this executable with
// --serve <transport>) and this process measures throughput (several actors, a window in flight, both directions
// counted) and round-trip latency (one message in flight). Plus Akka's own pipeline with no I/O as the ceiling.
//   dotnet run --project bench/CrossProcess -c Release [-- --quick] [--only pipe,shm,tcp]
var serveAt = Array.IndexOf(args, "--serve");
var prefixAt = Array.IndexOf(args, "--prefix");
var prefix = prefixAt >= 0 ? args[prefixAt + 1] : "xsnb-" + Environment.ProcessId + "-";
if (serveAt >= 0) return await EchoServer.RunAsync(TransportCatalog.Find(args[serveAt + 1]), prefix);

var settings = args.Contains("--quick") ? BenchSettings.Quick : BenchSettings.Full;
var onlyAt = Array.IndexOf(args, "--only");
var transports = onlyAt >= 0
    ? args[onlyAt + 1].Split(',').Select(TransportCatalog.Find).ToList()
    : TransportCatalog.All.ToList();

AnsiConsole.MarkupLine($"[bold]Cross-process echo[/]: {settings.Workers} client actors x {settings.Window} in flight for {settings.Duration.TotalSeconds:0} s; " +
                       $"{settings.RoundTrips:N0} round trips one at a time; {Environment.ProcessorCount} cores");
var results = new List<TransportResult>();
var deaths = new Dictionary<string, TimeSpan>();
try
{
    foreach (var transport in transports)
    {
        AnsiConsole.MarkupLine($"[grey]{transport.Name}: starting the echo server...[/]");
        using (var server = await ChildServer.StartAsync(transport, prefix, TimeSpan.FromSeconds(60)))
        {
            var client = ActorSystem.Create("Client", TransportCatalog.Common.WithFallback(transport.NodeConfig(prefix)));
            try
            {
                results.Add(await Measurement.RunAsync(transport.Name, client, new RootActorPath(server.Address) / "user" / "echo", settings));
            }
            finally
            {
                await client.Terminate();
            }
        }

        if (transport.ReportsDeath)
            deaths[transport.Name] = await DeathWatchTiming.MeasureAsync(transport, prefix, TimeSpan.FromSeconds(30));
    }

    AnsiConsole.MarkupLine("[grey]no I/O: two systems over TestTransport...[/]");
    results.Add(await NoIoCeiling.RunAsync(settings));
}
finally
{
    // Children shut down cleanly and remove their pipes and shm sockets; a killed one cannot, so sweep what our
    // prefix left (pipes in the temp directory, shm control sockets in /dev/shm).
    foreach (var directory in new[] { Path.GetTempPath(), "/dev/shm" }.Where(Directory.Exists))
        foreach (var file in Directory.GetFiles(directory, prefix + "*")) File.Delete(file);
}

var reference = results.FirstOrDefault(r => r.Name == "tcp");
var table = new Table().AddColumns("transport", "messages/s", "vs tcp", "p50 round trip", "p99 round trip", "p50 vs tcp", "kill -9 → Terminated");
foreach (var r in results)
{
    table.AddRow(
        r.Name,
        r.MessagesPerSecond.ToString("N0"),
        reference is null ? "-" : $"{r.MessagesPerSecond / reference.MessagesPerSecond:0.00}x",
        $"{r.P50Micros:0} µs",
        $"{r.P99Micros:0} µs",
        reference is null ? "-" : $"{r.P50Micros / reference.P50Micros:0.00}x",
        deaths.TryGetValue(r.Name, out var death) ? $"{death.TotalMilliseconds:0} ms" : "-");
}

// Wide enough for every column when the output is not a terminal (CI logs, redirected output).
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 130);
AnsiConsole.Write(table);
return 0;
