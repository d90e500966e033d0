using Akka.Actor;

namespace XStateNet.Actors;

/// <summary>Spawns statecharts as actors: <c>system.SpawnMachine("door", json, actions)</c> returns the actor at <c>/user/door</c>.</summary>
public static class MachineSpawning
{
    /// <summary>Spawns a machine with synchronous actions.</summary>
    /// <exception cref="Statecharts.StatechartDefinitionException">The JSON is invalid, or names the chart uses were not supplied (all listed).</exception>
    public static IActorRef SpawnMachine(this ActorSystem system, string id, string json,
        IReadOnlyDictionary<string, Action<OrchestratedContext>> actions,
        IReadOnlyDictionary<string, Func<OrchestratedContext, bool>>? guards = null) =>
        system.SpawnMachine(MachineDefinition.WithActions(id, json, actions, guards));

    /// <summary>Spawns a machine with asynchronous actions; it handles its next event only once they have completed.</summary>
    /// <exception cref="Statecharts.StatechartDefinitionException">The JSON is invalid, or names the chart uses were not supplied (all listed).</exception>
    public static IActorRef SpawnMachine(this ActorSystem system, string id, string json,
        IReadOnlyDictionary<string, Func<OrchestratedContext, Task>> actions,
        IReadOnlyDictionary<string, Func<OrchestratedContext, bool>>? guards = null) =>
        system.SpawnMachine(MachineDefinition.WithAsyncActions(id, json, actions, guards));

    /// <summary>Spawns a machine from a full definition (sync and async actions, guards, delays).</summary>
    /// <exception cref="Statecharts.StatechartDefinitionException">Names the chart uses were not supplied (all listed).</exception>
    /// <exception cref="Akka.Configuration.ConfigurationException">A route of <c>xstatenet.machines</c> is invalid (its key is named),
    /// or the node has remoting but machine events are not bound to the runtime's serializers (its reference.conf is missing).</exception>
    public static IActorRef SpawnMachine(this ActorSystem system, MachineDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(definition);
        // Fail in the caller, not later inside the actor: a bad chart, and bad routes (which every machine reads).
        definition.Validate();
        MachineRoutes.For(system);
        Serialization.MachineEventBinding.Check(system); // never let machine events fall back to Akka's JSON silently
        Hosting.NodeRecovery.For(system); // a node with machines acts when its peers declare it dead
        return system.ActorOf(Props(definition), definition.Id);
    }

    /// <summary>The props of a machine actor, for spawning it under a parent of your own.</summary>
    public static Props Props(MachineDefinition definition) => Akka.Actor.Props.Create(() => new MachineActor(definition));
}
