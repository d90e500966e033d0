using Akka.Actor;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Inspection;

namespace XStateNet.Actors.Diagrams.Tests.Inspection;

/// <summary>An actor system with two machines, a door and a light, and its inspector; all stopped on dispose.</summary>
public sealed class InspectedNode : IAsyncDisposable
{
    public const string DoorChart = """
        { "id": "door", "initial": "closed", "context": { "opened": 0 }, "states": {
            "closed": { "on": { "OPEN": { "target": "open", "actions": "count" } } },
            "open": { "on": { "CLOSE": "closed" } } } }
        """;

    public const string LightChart = """
        { "id": "light", "initial": "off", "states": { "off": { "on": { "TOGGLE": "on" } }, "on": { "on": { "TOGGLE": "off" } } } }
        """;

    private InspectedNode(ActorSystem system, IActorRef door, IActorRef light, MachineInspector inspector)
    {
        System = system;
        Door = door;
        Light = light;
        Inspector = inspector;
    }

    public ActorSystem System { get; }
    public IActorRef Door { get; }
    public IActorRef Light { get; }
    public MachineInspector Inspector { get; }

    public static async Task<InspectedNode> StartAsync()
    {
        var system = ActorSystem.Create("inspected-" + Guid.NewGuid().ToString("N")[..8], XStateNetConfig.Default);
        try
        {
            var door = system.SpawnMachine("door", DoorChart, new Dictionary<string, Action<OrchestratedContext>>
            {
                ["count"] = ctx => ctx.Context["opened"] = Convert.ToInt64(ctx.Context["opened"]) + 1,
            });
            var light = system.SpawnMachine("light", LightChart, new Dictionary<string, Action<OrchestratedContext>>());
            var inspector = await MachineInspector.StartAsync(system);
            return new InspectedNode(system, door, light, inspector);
        }
        catch
        {
            await system.Terminate();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Inspector.DisposeAsync();
        await System.Terminate();
    }
}
