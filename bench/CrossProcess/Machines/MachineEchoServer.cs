using Akka.Actor;
using Akka.Configuration;

namespace XStateNet.Actors.Bench.CrossProcess.Machines;

/// <summary>
/// The child process of the machine rows: an actor system with one echo machine, on the port the parent chose
/// (the parent's machines route to it by id), with routes back to the parent's client machines. Prints
/// <c>READY address pid</c>, then runs until its standard input ends.
/// </summary>
internal static class MachineEchoServer
{
    public const string SystemName = "MachineServer";

    public const string RawEchoName = "raw-echo";

    public static async Task<int> RunAsync(TransportCase transport, string prefix, int port, Address client, int workers)
    {
        var routes = string.Join('\n', EventPayloads.All
            .SelectMany(kind => Enumerable.Range(0, workers).Select(worker => EventPayloads.ClientId(kind, worker)))
            .Select(id => $"\"{id}\" = \"{new RootActorPath(client) / "user" / id}\""));
        var config = ConfigurationFactory.ParseString($"xstatenet.machines {{\n{routes}\n}}")
            .WithFallback(MachineNodes.Config(transport, prefix, port));
        var system = ActorSystem.Create(SystemName, config);
        system.SpawnMachine(MachineCharts.EchoId, MachineCharts.Echo, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["reply"] = ctx => ctx.RequestSend(ctx.SourceMachineId!, "PONG", Reply(ctx)),
        });
        // Raw Akka messages of the same size beside the machines: what Akka.Remote alone costs for 1 KiB.
        system.ActorOf(EchoActor.Props(), RawEchoName);
        await EchoServer.ServeUntilInputEndsAsync(system);
        return 0;
    }

    // The reply carries what came, in the same shape: a record as it is, an anonymous payload (a dictionary once it
    // crossed) read through dynamic and sent as a new anonymous object, as an application would.
    private static object? Reply(OrchestratedContext ctx) => ctx.Payload switch
    {
        null => null,
        BlobPayload record => record,
        KnownBlobPayload record => record,
        _ => new { Data = (byte[])ctx.EventData!.Data },
    };
}
