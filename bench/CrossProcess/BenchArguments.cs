using System.CommandLine;
using Akka.Actor;
using XStateNet.Actors.Bench.CrossProcess.Machines;
using XStateNet.Actors.Bench.CrossProcess.Soak;

namespace XStateNet.Actors.Bench.CrossProcess;

/// <summary>
/// The benchmark's command line, parsed with System.CommandLine like the repository's other programs (the pipeline
/// sample, the tool): the run's options, and the hidden ones this executable gives itself when it starts a child
/// (<c>--serve</c>, <c>--serve-machines</c>, <c>--soak-node</c>).
/// </summary>
internal sealed record BenchArguments
{
    public string? Serve { get; init; }

    public string? SoakNode { get; init; }

    public string? ServeMachines { get; init; }

    public string? ServeMachinesAb { get; init; }

    public int? AbRounds { get; init; }

    public double AbWindowMs { get; init; }

    public required string Prefix { get; init; }

    public int Port { get; init; }

    public Address? Client { get; init; }

    public int Workers { get; init; }

    public bool Quick { get; init; }

    public double? Seconds { get; init; }

    public IReadOnlyList<PayloadKind>? Payloads { get; init; }

    public IReadOnlyList<TransportCase>? Only { get; init; }

    public bool MachinesOnly { get; init; }

    public bool NoMachines { get; init; }

    public bool Soak { get; init; }

    public required SoakSettings SoakSettings { get; init; }

    /// <summary>
    /// Parses <paramref name="args"/>; errors (an unknown option, a bad number or transport) come back as text, with the
    /// usage. Null with no errors: <c>--help</c> was asked for, and printed.
    /// </summary>
    public static BenchArguments? Parse(string[] args, out string? errors)
    {
        var serve = new Option<string?>("--serve") { Hidden = true, Description = "Child: an echo server on this transport" };
        var soakNode = new Option<string?>("--soak-node") { Hidden = true, Description = "Child: a soak node on this transport" };
        var serveMachines = new Option<string?>(MachineMeasurement.ServeArgument) { Hidden = true, Description = "Child: a machine echo server on this transport" };
        var prefix = new Option<string>("--prefix") { Hidden = true, Description = "Child: the run's file prefix", DefaultValueFactory = _ => "xsnb-" + Environment.ProcessId };
        var port = new Option<int>("--port") { Hidden = true, Description = "Child: the machine echo server's port" };
        var client = new Option<string?>("--client") { Hidden = true, Description = "Child: the machine client's address" };
        var workers = new Option<int>("--workers") { Hidden = true, Description = "Child: how many machine pairs" };
        var serveMachinesAb = new Option<string?>(InterleavedMachines.ServeArgument) { Hidden = true, Description = "Child: the machine echoes of --ab on this transport" };
        var ab = new Option<int?>("--ab")
        {
            Description = "Telemetry's cost to machine events, interleaved: this many rounds of on / switched off / off again / listened, per transport (pipe, shm)",
        };
        var abWindow = new Option<double>("--ab-window") { Description = "--ab: ms measured per pair and round", DefaultValueFactory = _ => 300 };
        var quick = new Option<bool>("--quick") { Description = "Shorter runs (a rough look, not the README's figures)" };
        var seconds = new Option<double?>("--seconds") { Description = "How long each throughput run (or the soak's paced phase, default 120) lasts" };
        var payloads = new Option<string?>("--payloads") { Description = "Machine rows' payloads: none,record,known-record,anonymous" };
        var only = new Option<string?>("--only") { Description = $"Transports, comma-separated ({string.Join(", ", TransportCatalog.All.Select(t => t.Name))})" };
        var machinesOnly = new Option<bool>("--machines-only") { Description = "Only the raw and machine rows of tcp, pipe and shm" };
        var noMachines = new Option<bool>("--no-machines") { Description = "Without the machine rows" };
        var soak = new Option<bool>("--soak") { Description = "The soak: nodes all-to-all with sequence numbers" };
        var nodes = new Option<int>("--nodes") { Description = "Soak: how many nodes", DefaultValueFactory = _ => 8 };
        var rate = new Option<double>("--rate") { Description = "Soak: messages/s per pair in the paced phase", DefaultValueFactory = _ => 100 };
        var floodSeconds = new Option<double>("--flood-seconds") { Description = "Soak: length of the unpaced flood", DefaultValueFactory = _ => 30 };
        var window = new Option<int>("--window") { Description = "Soak: unacknowledged messages per pair in the flood", DefaultValueFactory = _ => 1000 };
        var logs = new Option<string?>("--logs") { Description = "Soak: a folder for each node's log" };
        // Read by BenchTelemetry before parsing (it must listen before anything runs); declared here so it is known.
        var telemetry = new Option<bool>("--telemetry") { Description = "Every process of the run listens to the runtime's meters and traces (what they cost)" };

        var root = new RootCommand("Cross-process benchmark: tcp, pipe and shm between two processes, the no-I/O ceiling, machine rows; or the soak.")
        {
            serve, soakNode, serveMachines, serveMachinesAb, ab, abWindow, prefix, port, client, workers, quick, seconds, payloads, only, machinesOnly, noMachines, soak, nodes, rate,
            floodSeconds, window, logs, telemetry,
        };
        var parse = root.Parse(args);
        if (parse.Action is System.CommandLine.Help.HelpAction)
        {
            parse.Invoke(); // prints the usage; nothing is run
            errors = null;
            return null;
        }
        if (parse.Errors.Count > 0)
        {
            errors = string.Join(Environment.NewLine, parse.Errors.Select(error => error.Message)) + Environment.NewLine +
                     "usage: dotnet run --project bench/CrossProcess -c Release -- [--quick] [--only pipe,shm,tcp] [--no-machines] [--machines-only] " +
                     "[--seconds 5] [--payloads none,record,known-record,anonymous] [--telemetry] | --ab 60 [--ab-window 300] [--only pipe,shm] [--quick] | --soak [--nodes 8] [--seconds 120] [--rate 100] [--flood-seconds 30] [--window 1000] [--only ...] [--logs DIR]";
            return null;
        }
        try
        {
            var parsedSeconds = parse.GetValue(seconds);
            errors = null;
            return new BenchArguments
            {
                Serve = parse.GetValue(serve),
                SoakNode = parse.GetValue(soakNode),
                ServeMachines = parse.GetValue(serveMachines),
                ServeMachinesAb = parse.GetValue(serveMachinesAb),
                AbRounds = parse.GetValue(ab) is { } abRounds && abRounds < 6 ? throw new ArgumentException($"--ab {abRounds}: at least 6 rounds") : parse.GetValue(ab),
                AbWindowMs = parse.GetValue(abWindow) is var ms and >= 50 and <= 60_000 ? ms : throw new ArgumentException($"--ab-window {parse.GetValue(abWindow)}: expected 50 to 60000 ms"),
                Prefix = parse.GetValue(prefix)!,
                Port = parse.GetValue(port),
                Client = parse.GetValue(client) is { } address ? Address.Parse(address) : null,
                Workers = parse.GetValue(workers),
                Quick = parse.GetValue(quick),
                Seconds = parsedSeconds,
                Payloads = parse.GetValue(payloads)?.Split(',').Select(p => Enum.Parse<PayloadKind>(p.Replace("-", ""), ignoreCase: true)).ToArray(),
                Only = parse.GetValue(only)?.Split(',').Select(TransportCatalog.Find).ToArray(),
                MachinesOnly = parse.GetValue(machinesOnly),
                NoMachines = parse.GetValue(noMachines),
                Soak = parse.GetValue(soak),
                SoakSettings = new SoakSettings(parse.GetValue(nodes), TimeSpan.FromSeconds(parsedSeconds ?? 120), parse.GetValue(rate),
                    TimeSpan.FromSeconds(parse.GetValue(floodSeconds)), parse.GetValue(window), parse.GetValue(logs)),
            };
        }
        catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException)
        {
            errors = e.Message;
            return null;
        }
    }
}
