using Akka.Actor;

namespace XStateNet.Actors.Tests.Shared;

/// <summary>
/// The scenario every transport's specs run to show machines talking by id across it: <c>ping</c> in one system
/// sends <c>PING</c> with an anonymous payload to <c>pong</c> in the other, which answers <c>PONG</c> to the sender's
/// machine id; both ids resolve through <c>xstatenet.machines</c> routes.
/// </summary>
internal static class MachinePingPong
{
    /// <summary>What <c>ping</c> reports to the test once the answer is back.</summary>
    public const string ExpectedReport = "42 from pong, local: False";

    /// <summary>A route for <paramref name="id"/> to <c>/user/&lt;id&gt;</c> of <paramref name="system"/> on this host.</summary>
    public static string Route(string protocol, string id, string system, int port) =>
        $"xstatenet.machines {{ {id} = \"akka.{protocol}://{system}@localhost:{port}/user/{id}\" }}\n" +
        // Routed explicitly: the host directory (on by default with pipe and shm) would leave its folder behind.
        "xstatenet.directory.enabled = off";

    /// <summary>Spawns <c>pong</c> in <paramref name="right"/> and <c>ping</c> in <paramref name="left"/>; send <c>GO</c> to the result.</summary>
    public static IActorRef Spawn(ActorSystem left, ActorSystem right, IActorRef reportTo)
    {
        right.SpawnMachine("pong", """
            { "initial": "ready", "states": { "ready": { "on": { "PING": { "actions": "reply" } } } } }
            """, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["reply"] = ctx => ctx.RequestSend(ctx.SourceMachineId!, "PONG", new { Count = (long)ctx.EventData!.Count + 1, Where = ctx.MachineId }),
        });
        return left.SpawnMachine("ping", """
            { "initial": "idle", "states": {
                "idle": { "on": { "GO": { "target": "waiting", "actions": "send" } } },
                "waiting": { "on": { "PONG": { "target": "idle", "actions": "report" } } } } }
            """, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["send"] = ctx => ctx.RequestSend("pong", "PING", new { Count = 41L }),
            ["report"] = ctx => reportTo.Tell(
                $"{ctx.EventData!.Count} from {ctx.EventData.Where}, local: {ctx.GetTargetProcessInfo("pong").IsLocal}"),
        });
    }
}
