using System.Collections.Concurrent;
using Akka.Actor;

namespace XStateNet.Actors.Inspection;

/// <summary>
/// This node's machines, from <see cref="MachineObservation"/>: it observes while it lives (so machines publish
/// their steps), keeps each machine's last events, and asks each machine for its snapshot when the page asks.
/// </summary>
internal sealed class LocalMachineSource : IMachineSource, IDisposable
{
    /// <summary>A machine busy in a long step is left out of one refresh rather than holding the page.</summary>
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);

    private readonly ActorSystem _system;
    private readonly MachineObservation _observation;
    private readonly IDisposable _observing;
    private readonly IActorRef _listener;
    private readonly int _eventsPerMachine;
    private readonly ConcurrentDictionary<string, Queue<MachineStepped>> _history = new(StringComparer.Ordinal);

    public LocalMachineSource(ActorSystem system, int eventsPerMachine)
    {
        _system = system;
        _eventsPerMachine = eventsPerMachine;
        _observation = MachineObservation.For(system);
        _observing = _observation.Observe();
        // A system actor: the node's own /user tree stays as the application made it.
        _listener = ((ExtendedActorSystem)system).SystemActorOf(Props.Create(() => new StepListener(this)), $"xstatenet-inspector-{Guid.NewGuid():N}");
    }

    public event Action? Changed;

    public async Task<IReadOnlyList<InspectedMachine>> GetMachinesAsync(CancellationToken cancellationToken)
    {
        var machines = await Task.WhenAll(_observation.Machines.Select(m => InspectAsync(m, cancellationToken)));
        return machines.OfType<InspectedMachine>().ToArray();
    }

    private async Task<InspectedMachine?> InspectAsync(ObservedMachine machine, CancellationToken cancellationToken)
    {
        MachineSnapshot snapshot;
        try
        {
            snapshot = await machine.Actor.Ask<MachineSnapshot>(GetMachineSnapshot.Instance, AskTimeout, cancellationToken);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null; // stopped or busy: the next refresh shows it again if it is still there
        }
        return new InspectedMachine(_system.Name, machine.Id, machine.Chart, snapshot.ActiveStates, snapshot.IsDone, snapshot.Context, History(machine.Id));
    }

    private MachineStepped[] History(string machineId)
    {
        if (!_history.TryGetValue(machineId, out var events)) return [];
        lock (events) return events.ToArray();
    }

    internal void OnStepped(MachineStepped step)
    {
        var events = _history.GetOrAdd(step.MachineId, _ => new Queue<MachineStepped>());
        lock (events)
        {
            events.Enqueue(step);
            while (events.Count > _eventsPerMachine) events.Dequeue();
        }
        Changed?.Invoke();
    }

    public void Dispose()
    {
        _observing.Dispose();
        _listener.Tell(PoisonPill.Instance);
    }

    /// <summary>Hands the machines' steps from the event stream to the source.</summary>
    private sealed class StepListener : ReceiveActor
    {
        public StepListener(LocalMachineSource source) => Receive<MachineStepped>(source.OnStepped);

        protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(MachineStepped));

        protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
    }
}
