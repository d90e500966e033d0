using Akka.Actor;

namespace XStateNet.Actors.TestKit;

/// <summary>
/// A node as its role's code sees it, in the child process: its actor system, its machines, the spec's probe and
/// the barriers. Given to <see cref="RoleDefinition.Run"/> bodies and to assertions run with
/// <c>MultiNodeSpec.RunOn</c>.
/// </summary>
public sealed class NodeContext
{
    private readonly Func<string, Task> _enterBarrier;
    private readonly string _probePath;

    internal NodeContext(string role, ActorSystem system, string probePath, Func<string, Task> enterBarrier)
    {
        Role = role;
        System = system;
        _probePath = probePath;
        _enterBarrier = enterBarrier;
    }

    /// <summary>The role this node plays.</summary>
    public string Role { get; }

    /// <summary>The node's actor system.</summary>
    public ActorSystem System { get; }

    /// <summary>The node's address.</summary>
    public Address Address => ((ExtendedActorSystem)System).Provider.DefaultAddress;

    /// <summary>The local machine <paramref name="machineId"/>.</summary>
    public ActorSelection Machine(string machineId) => System.ActorSelection($"/user/{machineId}");

    /// <summary>A snapshot of the local machine <paramref name="machineId"/> (its states and context).</summary>
    public Task<MachineSnapshot> Snapshot(string machineId, TimeSpan? timeout = null) =>
        Machine(machineId).Ask<MachineSnapshot>(GetMachineSnapshot.Instance, timeout ?? TimeSpan.FromSeconds(10));

    /// <summary>Sends <paramref name="message"/> to the spec's probe (<see cref="MultiNodeSpec{TConfig}.Probe"/>).</summary>
    public void TellProbe(object message) => System.ActorSelection(_probePath).Tell(message);

    /// <summary>
    /// Waits at the barrier <paramref name="name"/> until the spec and every other node have entered it.
    /// </summary>
    public Task EnterBarrier(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return _enterBarrier(name);
    }
}
