using Akka.Actor;

namespace XStateNet.Actors.Inspection;

/// <summary>Ask a node's <see cref="NodeMachinesActor"/> which machines run there: answered with <see cref="NodeMachineList"/>.</summary>
internal sealed class ListNodeMachines
{
    public static ListNodeMachines Instance { get; } = new();

    private ListNodeMachines() { }
}

/// <summary>The ids of the machines running on a node now (its own and the sharded entities it hosts), ordered.</summary>
internal sealed record NodeMachineList(string[] Ids);

/// <summary>Ask a node's <see cref="NodeMachinesActor"/> for a machine's chart: answered with <see cref="MachineChart"/>, not at all when it is not there.</summary>
internal sealed record GetNodeMachineChart(string MachineId);

/// <summary>Ask a node's <see cref="NodeMachinesActor"/> for a machine's snapshot: the machine answers <see cref="MachineSnapshot"/> itself.</summary>
internal sealed record GetNodeMachineSnapshot(string MachineId);

/// <summary>
/// <c>/system/xstatenet-machines</c>: what a node tells an inspecting tool about the machines it runs, read from
/// <see cref="MachineObservation"/>, including those the host directory does not publish (sharded entities, whose ids
/// move with the cluster). Read-only, like <see cref="GetMachineSnapshot"/>: it lists, gives charts, and passes a
/// snapshot request on to the machine, which answers the asker.
/// </summary>
internal sealed class NodeMachinesActor : ReceiveActor
{
    public const string Name = "xstatenet-machines";

    /// <summary>The most ids one answer carries (a node of more lists the first ones by id).</summary>
    public const int MaxIds = 10_000;

    public NodeMachinesActor(MachineObservation observation)
    {
        Receive<ListNodeMachines>(_ =>
            Sender.Tell(new NodeMachineList(observation.Machines.Select(m => m.Id).Distinct(StringComparer.Ordinal).Take(MaxIds).ToArray())));
        Receive<GetNodeMachineChart>(ask =>
        {
            // A machine gone since the list (a passivated entity) gets no answer: the asker's timeout says it, and no
            // exception travels.
            if (Find(observation, ask.MachineId) is { } machine) Sender.Tell(new MachineChart(machine.Id, machine.Chart.SourceJson));
        });
        Receive<GetNodeMachineSnapshot>(ask =>
        {
            if (Find(observation, ask.MachineId) is { } machine) machine.Actor.Forward(GetMachineSnapshot.Instance);
        });
    }

    private static ObservedMachine? Find(MachineObservation observation, string id) =>
        observation.Machines.FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.Ordinal));
}
