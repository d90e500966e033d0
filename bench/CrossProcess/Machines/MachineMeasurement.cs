using Akka.Actor;
using Akka.Configuration;
using Spectre.Console;

namespace XStateNet.Actors.Bench.CrossProcess.Machines;

/// <summary>What one row of machine events achieved.</summary>
/// <param name="Payload">What the events carried; null for the row of raw Akka messages of 1 KiB.</param>
internal sealed record MachineResult(string Transport, PayloadKind? Payload, double EventsPerSecond, double CpuMicrosPerEvent);

/// <summary>
/// Machine → machine events between two processes: client machines here keep a window of PINGs in flight to the
/// echo machine in a child process, which answers each with a PONG; every event is one transition, both directions
/// counted (as the raw rows count both directions of the echo).
/// </summary>
internal static class MachineMeasurement
{
    public const string ServeArgument = "--serve-machines";

    public static async Task<IReadOnlyList<MachineResult>> RunAsync(TransportCase transport, string prefix, BenchSettings settings,
        IReadOnlyList<PayloadKind> payloads)
    {
        var serverPort = MachineNodes.FreePort(transport);
        var client = ActorSystem.Create("MachineClient", ClientConfig(transport, prefix, serverPort));
        try
        {
            var clientAddress = ((ExtendedActorSystem)client).Provider.DefaultAddress;
            using var server = await ChildServer.StartAsync(
                [ServeArgument, transport.Name, "--prefix", prefix, "--port", serverPort.ToString(), "--client", clientAddress.ToString(),
                 "--workers", settings.Workers.ToString()],
                transport.Name + " machine server", TimeSpan.FromSeconds(60), keepOutput: false);
            var expected = MachineNodes.ServerAddress(transport, prefix, serverPort);
            if (server.Address != expected)
                throw new InvalidOperationException($"The machine server listens at {server.Address}, not at {expected} where the client's route points.");
            var results = new List<MachineResult>();
            var rawEcho = await client.ActorSelection(new RootActorPath(server.Address) / "user" / MachineEchoServer.RawEchoName)
                .ResolveOne(TimeSpan.FromSeconds(20));
            var (rawRate, rawCpu) = await Measurement.ThroughputAsync(client, rawEcho, settings, server.ProcessId, EventPayloads.RawBytes);
            results.Add(new MachineResult(transport.Name, null, rawRate, rawCpu));
            foreach (var kind in payloads)
            {
                // The pids let a profiler attach to both processes of a row (perf record -p client,server).
                AnsiConsole.MarkupLine($"[grey]{transport.Name} machine row {kind}: client pid {Environment.ProcessId}, server pid {server.ProcessId}[/]");
                results.Add(await RowAsync(transport.Name, client, server.ProcessId, kind, settings));
            }
            return results;
        }
        finally
        {
            await client.Terminate();
        }
    }

    private static Config ClientConfig(TransportCase transport, string prefix, int serverPort)
    {
        var echo = new RootActorPath(MachineNodes.ServerAddress(transport, prefix, serverPort)) / "user" / MachineCharts.EchoId;
        return ConfigurationFactory.ParseString($"xstatenet.machines.{MachineCharts.EchoId} = \"{echo}\"")
            .WithFallback(MachineNodes.Config(transport, prefix, 0));
    }

    private static async Task<MachineResult> RowAsync(string transport, ActorSystem client, int serverPid, PayloadKind kind, BenchSettings settings)
    {
        var counter = new RoundTripCounter();
        var machines = Enumerable.Range(0, settings.Workers)
            .Select(worker => client.SpawnMachine(EventPayloads.ClientId(kind, worker), MachineCharts.Client,
                new Dictionary<string, Action<OrchestratedContext>>
                {
                    ["burst"] = ctx =>
                    {
                        for (var i = 0; i < settings.Window; i++) ctx.RequestSend(MachineCharts.EchoId, "PING", EventPayloads.Make(kind));
                    },
                    ["next"] = ctx =>
                    {
                        counter.Add();
                        if (!counter.Stopped) ctx.RequestSend(MachineCharts.EchoId, "PING", EventPayloads.Make(kind));
                    },
                }))
            .ToList();
        machines.ForEach(m => m.Tell(new MachineEvent("START")));
        var (rate, cpu) = await Measurement.MeasureWindowAsync(counter, settings, serverPid);
        machines.ForEach(m => m.Tell(PoisonPill.Instance));
        return new MachineResult(transport, kind, rate, cpu);
    }
}
