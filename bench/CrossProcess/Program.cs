using Akka.Actor;
using Spectre.Console;
using XStateNet.Actors.Bench.CrossProcess;
using XStateNet.Actors.Bench.CrossProcess.Machines;
using XStateNet.Actors.Bench.CrossProcess.Soak;

// Cross-process benchmark: for each transport an echo server runs as a child process (this executable with
// --serve <transport>) and this process measures throughput (several actors, a window in flight, both directions
// counted) and round-trip latency (one message in flight). Plus Akka's own pipeline with no I/O as the ceiling.
//   dotnet run --project bench/CrossProcess -c Release [-- --quick] [--only tcp,pipe,shm,same-host,tcp-cluster,same-host-cluster] [--no-machines] [--machines-only]
//       [--seconds 5] [--payloads none,record,known-record,anonymous]
// tcp-cluster and same-host-cluster (only with --only): the two nodes are members of one Akka.Cluster, over plain TCP
// and with the same-host fast path.
// Machine rows: for tcp, pipe and shm, statechart machines exchange events with a machine in a child process (no
// payload, a 1 KiB record, the same record of a Hyperion known type, a 1 KiB anonymous type), beside the raw Akka messages of the same run, with the CPU µs
// per event of both processes. --machines-only: the raw and machine rows of tcp, pipe and shm, nothing else.
// The soak (N nodes all-to-all with sequence numbers: lost, duplicated, out of order, false deaths, memory):
//   dotnet run --project bench/CrossProcess -c Release -- --soak [--nodes 8] [--seconds 120] [--rate 100]
//       [--flood-seconds 30] [--window 1000] [--only tcp,pipe,shm] [--logs DIR]
// --ab N [--ab-window ms]: telemetry's cost to machine events over pipe and shm, in N interleaved rounds (InterleavedMachines).
// --telemetry: every process of the run (this one and its children) listens to the meters and traces (BenchTelemetry).
using var telemetry = BenchTelemetry.ListenIfAsked(args);
if (BenchArguments.Parse(args, out var usageErrors) is not { } parsed)
{
    if (usageErrors is null) return 0; // --help
    Console.Error.WriteLine(usageErrors);
    return 2;
}
var prefix = parsed.Prefix;
if (parsed.Serve is { } served) return await EchoServer.RunAsync(TransportCatalog.Find(served), prefix);
if (parsed.SoakNode is { } soakNode) return await SoakNode.RunAsync(TransportCatalog.Find(soakNode), prefix);
if (parsed.ServeMachines is { } servedMachines)
{
    return await MachineEchoServer.RunAsync(TransportCatalog.Find(servedMachines), prefix, parsed.Port,
        parsed.Client ?? throw new ArgumentException($"{MachineMeasurement.ServeArgument} needs --client"), parsed.Workers);
}

if (parsed.ServeMachinesAb is { } servedAb) return await InterleavedMachines.ServeAsync(TransportCatalog.Find(servedAb), prefix, parsed.Port);

var settings = parsed.Quick ? BenchSettings.Quick : BenchSettings.Full;
if (parsed.Seconds is { } seconds) settings = settings with { Duration = TimeSpan.FromSeconds(seconds) };
var payloads = parsed.Payloads ?? EventPayloads.All;
var machinesOnly = parsed.MachinesOnly;
var runMachines = !parsed.NoMachines;
var transports = (parsed.Only ?? TransportCatalog.Default).ToList();
if (machinesOnly) transports = transports.Where(MachineNodes.Supports).ToList();
if (parsed.Soak) return await RunSoakAsync();
if (parsed.AbRounds is { } abRounds)
{
    try
    {
        var seed = Environment.GetEnvironmentVariable("BENCH_SEED") is { } s && int.TryParse(s, out var given) ? given : Environment.TickCount;
        foreach (var transport in transports.Where(t => t.Name is "pipe" or "shm"))
            await InterleavedMachines.RunAsync(transport, prefix, settings, abRounds, TimeSpan.FromMilliseconds(parsed.AbWindowMs), seed);
    }
    finally
    {
        SweepPrefix();
    }
    return 0;
}

AnsiConsole.MarkupLine($"[bold]Cross-process echo[/]: {settings.Workers} client actors x {settings.Window} in flight for {settings.Duration.TotalSeconds:0} s; " +
                       $"{settings.RoundTrips:N0} round trips one at a time; {Environment.ProcessorCount} cores");
var results = new List<TransportResult>();
var deaths = new Dictionary<string, TimeSpan>();
var machineResults = new List<MachineResult>();
try
{
    foreach (var transport in transports)
    {
        AnsiConsole.MarkupLine($"[grey]{transport.Name}: starting the echo server...[/]");
        using (var server = await ChildServer.StartAsync(transport, prefix, TimeSpan.FromSeconds(60)))
        {
            var client = ActorSystem.Create(transport.Cluster ? TransportCatalog.ClusterSystem : "Client",
                TransportCatalog.Common.WithFallback(transport.NodeConfig(prefix)));
            try
            {
                if (transport.Cluster)
                {
                    using var joining = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                    await Akka.Cluster.Cluster.Get(client).JoinAsync(server.Address, joining.Token);
                }

                results.Add(await Measurement.RunAsync(transport.Name, client, new RootActorPath(server.Address) / "user" / "echo", settings, server.ProcessId));
            }
            finally
            {
                await client.Terminate();
            }
        }

        if (runMachines && MachineNodes.Supports(transport))
        {
            AnsiConsole.MarkupLine($"[grey]{transport.Name}: machine events...[/]");
            machineResults.AddRange(await MachineMeasurement.RunAsync(transport, prefix, settings, payloads));
        }

        if (transport.ReportsDeath && !machinesOnly)
            deaths[transport.Name] = await DeathWatchTiming.MeasureAsync(transport, prefix, TimeSpan.FromSeconds(30));
    }

    if (!machinesOnly)
    {
        AnsiConsole.MarkupLine("[grey]no I/O: two systems over TestTransport...[/]");
        results.Add(await NoIoCeiling.RunAsync(settings));
    }
}
finally
{
    SweepPrefix();
}

var reference = results.FirstOrDefault(r => r.Name == "tcp");
var table = new Table().AddColumns("transport", "messages/s", "vs tcp", "CPU µs/msg", "p50 round trip", "p99 round trip", "p50 vs tcp", "kill -9 → Terminated");
foreach (var r in results)
{
    table.AddRow(
        r.Name,
        r.MessagesPerSecond.ToString("N0"),
        reference is null ? "-" : $"{r.MessagesPerSecond / reference.MessagesPerSecond:0.00}x",
        double.IsNaN(r.CpuMicrosPerMessage) ? "-" : $"{r.CpuMicrosPerMessage:0.0}",
        $"{r.P50Micros:0} µs",
        $"{r.P99Micros:0} µs",
        reference is null ? "-" : $"{r.P50Micros / reference.P50Micros:0.00}x",
        deaths.TryGetValue(r.Name, out var death) ? $"{death.TotalMilliseconds:0} ms" : "-");
}

// Wide enough for every column when the output is not a terminal (CI logs, redirected output).
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 130);
AnsiConsole.Write(table);
if (machineResults.Count > 0) AnsiConsole.Write(MachineTable.Of(machineResults, results));
return 0;

async Task<int> RunSoakAsync()
{
    var soak = parsed.SoakSettings;
    var soakTransports = parsed.Only is not null ? transports : TransportCatalog.All.Where(t => t.Name is "tcp" or "pipe" or "shm").ToList();
    AnsiConsole.MarkupLine($"[bold]Soak[/]: {soak.Nodes} nodes all-to-all; {soak.Paced.TotalSeconds:0} s at {soak.PerPairRate} messages/s per pair, " +
                           $"then {soak.Flood.TotalSeconds:0} s unpaced ({soak.FloodWindow} unacknowledged per pair); {Environment.ProcessorCount} cores");
    try
    {
        SoakRun.Print(await SoakRun.RunAsync(soak, soakTransports, prefix));
    }
    finally
    {
        SweepPrefix();
    }

    return 0;
}

void SweepPrefix()
{
    // Children shut down cleanly and remove their pipes and shm sockets; a killed one cannot, so sweep what our
    // prefix left (pipes in the temp directory, shm control sockets in /dev/shm).
    foreach (var directory in new[] { Path.GetTempPath(), "/dev/shm" }.Where(Directory.Exists))
        foreach (var file in Directory.GetFiles(directory, prefix + "*")) File.Delete(file);
}
