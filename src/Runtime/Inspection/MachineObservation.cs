using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Event;
using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Inspection;

/// <summary>
/// What a node's tools (an inspector, a dashboard) can see of its machines: every machine actor of the actor system
/// with its chart, and, while at least one observer is registered, a <see cref="MachineStepped"/> on the actor
/// system's event stream after each step. Nobody observing costs a machine one volatile read per step.
/// </summary>
/// <example>
/// <code>
/// var observation = MachineObservation.For(system);
/// using var observing = observation.Observe();
/// system.EventStream.Subscribe(listener, typeof(MachineStepped));
/// </code>
/// </example>
public sealed class MachineObservation : IExtension
{
    private readonly ConcurrentDictionary<IActorRef, ObservedMachine> _machines = new();
    private readonly ConcurrentDictionary<IActorRef, MachineHealthState> _health = new();
    private readonly ExtendedActorSystem? _system;
    private int _observers;
    private int _started;

    /// <summary>An observation not tied to an actor system (nothing is announced, no node actor answers for it).</summary>
    public MachineObservation()
    {
    }

    internal MachineObservation(ExtendedActorSystem system)
    {
        _system = system;
    }

    /// <summary>The observation of an actor system's machines.</summary>
    public static MachineObservation For(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.WithExtension<MachineObservation, MachineObservationProvider>();
    }

    /// <summary>The machines running in this actor system now, ordered by id.</summary>
    public IReadOnlyList<ObservedMachine> Machines => _machines.Values.OrderBy(m => m.Id, StringComparer.Ordinal).ToArray();

    /// <summary>How each machine running in this actor system fares (running, done, failed), ordered by id: for health checks.</summary>
    public IReadOnlyList<MachineStatus> Statuses => _health.Values.Select(h => h.Status).OrderBy(s => s.Id, StringComparer.Ordinal).ToArray();

    /// <summary>True while someone observes: machines then publish <see cref="MachineStepped"/>.</summary>
    public bool IsObserved => Volatile.Read(ref _observers) > 0;

    /// <summary>Starts observing: machines publish <see cref="MachineStepped"/> until the returned handle is disposed.</summary>
    public IDisposable Observe()
    {
        Interlocked.Increment(ref _observers);
        return new Observer(this);
    }

    internal void Register(string id, Statechart chart, IActorRef actor, MachineHealthState health)
    {
        _machines[actor] = new ObservedMachine(id, chart, actor);
        _health[actor] = health;
        if (_system is not null && Interlocked.Exchange(ref _started, 1) == 0) StartAnswering(_system);
    }

    /// <summary>
    /// With the first machine: the node actor that lists this node's machines to tools (<see cref="NodeMachinesActor"/>),
    /// and this node listed in the host directory (when it is on) even if it publishes no id there (sharded entities).
    /// </summary>
    private void StartAnswering(ExtendedActorSystem system)
    {
        try
        {
            system.SystemActorOf(Props.Create(() => new NodeMachinesActor(this)), NodeMachinesActor.Name);
            Discovery.HostDirectory.For(system).Announce();
        }
        catch (Exception e) when (e is InvalidActorNameException or Akka.Configuration.ConfigurationException or InvalidOperationException)
        {
            // A terminating system, or a directory setting at fault that spawning machines reports itself, naming it.
            Logging.GetLogger(system, typeof(MachineObservation)).Debug("Machine observation: {0}", e.Message);
        }
    }

    internal void Unregister(IActorRef actor)
    {
        _machines.TryRemove(actor, out _);
        _health.TryRemove(actor, out _);
    }

    private sealed class Observer(MachineObservation observation) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref observation._observers);
        }
    }
}

/// <summary>Creates the <see cref="MachineObservation"/> extension.</summary>
public sealed class MachineObservationProvider : ExtensionIdProvider<MachineObservation>
{
    /// <inheritdoc />
    public override MachineObservation CreateExtension(ExtendedActorSystem system) => new(system);
}
