using System.Collections.Concurrent;
using Akka.Actor;

namespace XStateNet.Actors;

/// <summary>
/// The machines running in this actor system, by id, wherever they were spawned (at <c>/user/&lt;id&gt;</c> or
/// under a parent of the user's own). A send to a local id goes straight to the actor, without asking Akka to
/// find a path; ids routed elsewhere still follow their route.
/// </summary>
internal sealed class LocalMachines : IExtension
{
    private readonly ConcurrentDictionary<string, IActorRef> _machines = new(StringComparer.Ordinal);

    public static LocalMachines For(ActorSystem system) => system.WithExtension<LocalMachines, LocalMachinesProvider>();

    /// <summary>Adds a starting machine; false when another live actor of this system already runs that id.</summary>
    public bool Add(string machineId, IActorRef machine) => _machines.TryAdd(machineId, machine);

    /// <summary>Removes a stopped machine (only itself: a later machine with the same id stays).</summary>
    public void Remove(string machineId, IActorRef machine) => _machines.TryRemove(new KeyValuePair<string, IActorRef>(machineId, machine));

    public bool TryGet(string machineId, out IActorRef machine) => _machines.TryGetValue(machineId, out machine!);

    /// <summary>The ids running here, with their actors' paths without the address (e.g. <c>/user/door</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Snapshot() =>
        _machines.Select(machine => new KeyValuePair<string, string>(machine.Key, machine.Value.Path.ToStringWithoutAddress())).ToList();
}

/// <summary>Creates the <see cref="LocalMachines"/> extension.</summary>
internal sealed class LocalMachinesProvider : ExtensionIdProvider<LocalMachines>
{
    public override LocalMachines CreateExtension(ExtendedActorSystem system) => new();
}
