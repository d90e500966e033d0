using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using XStateNet.Actors.Inspection;
using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Sharding;

/// <summary>
/// One machine as one entity of a shard region, persisted with Akka.Persistence. It runs the same core as a plain
/// machine (<see cref="MachineCore"/>). After each step that changed the machine (its <see cref="StatechartSnapshot"/>
/// JSON differs from the last one stored), the new snapshot is persisted as a journal event, and only then do the
/// step's sends go out: a reply that acknowledges an event is never ahead of the state it acknowledges. Every
/// <c>SnapshotEvery</c> events the state is also saved to the snapshot store and older journal rows are deleted.
/// On recovery the last state wins and the machine resumes from it (<see cref="StatechartInterpreter.FromSnapshot"/>:
/// no entry action runs again, delayed transitions fire at their remaining time). A stored state that no longer fits
/// the chart is refused: logged at Error, and every event then sent to the machine is answered with
/// <c>error.communication</c> naming what no longer matches, until the chart fits again; nothing is overwritten.
/// Events from machines arrive on acknowledged channels (<see cref="AcknowledgedEvent"/>): each channel's next number
/// is applied, an earlier one only acknowledged again, a later one left for the sender to send again after the
/// missing ones; the last number applied per channel is stored with the state (<see cref="StoredMachineState"/>),
/// and the acknowledgement goes once both are stored.
/// </summary>
internal sealed class MachineEntity : ReceivePersistentActor, IWithTimers, IWithUnboundedStash
{
    private readonly MachineDefinition _definition;
    private readonly ShardedMachineOptions _options;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private MachineCore? _machine;
    private string? _recovered;
    private string? _lastStored;
    private string? _refusal;
    private readonly HashSet<(string Channel, long Sequence)> _refusedEvents = new();
    private const int MaxRefusedEventsKept = 4096;
    private bool _starting;
    private readonly AppliedSequences _applied = new();
    private PendingAcknowledgement? _acknowledge;
    private bool _stopWhenAcknowledged;

    public MachineEntity(string typeName, ShardedMachineOptions options, string machineId)
    {
        _options = options;
        _definition = options.DefinitionFor(typeName, machineId);
        PersistenceId = PersistenceIds.Of(typeName, machineId);
        if (options.Journal is { } journal) JournalPluginId = journal;
        if (options.SnapshotStore is { } store) SnapshotPluginId = store;
        if (!options.Persisted)
        {
            // Nothing to read back: Akka's in-memory plugins, so that starting a machine never queries the real store.
            JournalPluginId = "akka.persistence.journal.inmem";
            SnapshotPluginId = "akka.persistence.snapshot-store.inmem";
        }

        Recover<SnapshotOffer>(offer => _recovered = offer.Snapshot as string);
        Recover<string>(state => _recovered = state);
        Recover<RecoveryCompleted>(_ => StartMachine());
        Ready();
    }

    public override string PersistenceId { get; }

    /// <summary>A machine that is not persisted recovers nothing.</summary>
    public override Recovery Recovery => _options.Persisted ? base.Recovery : Recovery.None;

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PostStop()
    {
        MachineObservation.For(Context.System).Unregister(Self);
        base.PostStop();
    }

    private MachineCore Machine => _machine!;

    private void StartMachine()
    {
        if (!_options.Persisted) _recovered = null;
        if (_recovered is { } stored)
        {
            try
            {
                _machine = new MachineCore(_definition, Context, this, _log, AfterStep, StatechartSnapshot.FromJson(StoredMachineState.Parse(stored, _applied)));
            }
            catch (Exception e) when (e is StatechartSnapshotException or StatechartDefinitionException or FormatException or System.Text.Json.JsonException)
            {
                _refusal = $"machine '{_definition.Id}' cannot resume from its persisted state (persistence id '{PersistenceId}', " +
                           $"sequence number {LastSequenceNr}): {e.Message}";
                _log.Error(e, "{0}; every event sent to it is answered with {1} until the chart fits the stored state again " +
                              "(nothing stored is overwritten)", _refusal, MachineEvents.ErrorCommunication);
                Become(Refusing);
                return;
            }
            _lastStored = stored;
            MachineObservation.For(Context.System).Register(_definition.Id, _definition.Chart, Self, Machine.Health);
            return;
        }
        // A machine with nothing stored starts as a fresh one.
        _machine = new MachineCore(_definition, Context, this, _log, AfterStep);
        MachineObservation.For(Context.System).Register(_definition.Id, _definition.Chart, Self, Machine.Health);
        _starting = true;
        try
        {
            Machine.Start();
        }
        finally
        {
            _starting = false;
        }
    }

    private void Ready()
    {
        Command<MachineEvent>(message => Machine.HandleEvent(message, Sender));
        Command<AcknowledgedEvent>(OnAcknowledgedEvent);
        Command<TimerDue>(due => Machine.HandleTimer(due));
        Command<GetMachineSnapshot>(_ => Sender.Tell(Machine.Snapshot()));
        Command<StopMachine>(_ => StopWhenAcknowledged());
        CommandBookkeeping();
    }

    private void WaitingForAsyncActions()
    {
        Command<MachineCore.AsyncActionsCompleted>(_ =>
        {
            Become(Ready);
            Machine.OnAsyncActionsCompleted();
            Stash.UnstashAll();
        });
        Command<GetMachineSnapshot>(_ => Sender.Tell(Machine.Snapshot()));
        CommandBookkeeping();
        CommandAny(_ => Stash.Stash());
    }

    private void Refusing()
    {
        Command<MachineEvent>(message =>
        {
            _log.Warning("{0}: refused '{1}' from {2}", _refusal, message.Name, message.SourceMachineId ?? Sender.Path.ToString());
            if (Sender.IsNobody()) return;
            Sender.Tell(new MachineEvent(MachineEvents.ErrorCommunication,
                new CommunicationError(_definition.Id, message.Name, message.Data, _refusal!)) { SourceMachineId = _definition.Id }, Self);
        });
        Command<AcknowledgedEvent>(message =>
        {
            // Refused, not lost: the sender gets error.communication, and the acknowledgement stops its redelivery.
            // A redelivery of an event already refused (sent again before the acknowledgement got back, e.g. while
            // this machine recovered slowly) is acknowledged again, not reported a second time.
            // Bounded: past the bound the set starts again, so a later redelivery may be reported twice, never silently.
            if (_refusedEvents.Count >= MaxRefusedEventsKept) _refusedEvents.Clear();
            if (!_refusedEvents.Add((message.Channel, message.Sequence)))
            {
                if (!Sender.IsNobody()) Sender.Tell(new EventAcknowledged(_definition.Id, message.Channel, message.Sequence), Self);
                return;
            }
            _log.Warning("{0}: refused '{1}' from {2}", _refusal, message.Event.Name, message.Event.SourceMachineId ?? Sender.Path.ToString());
            if (Sender.IsNobody()) return;
            Sender.Tell(new MachineEvent(MachineEvents.ErrorCommunication,
                new CommunicationError(_definition.Id, message.Event.Name, message.Event.Data, _refusal!)) { SourceMachineId = _definition.Id }, Self);
            Sender.Tell(new EventAcknowledged(_definition.Id, message.Channel, message.Sequence), Self);
        });
        Command<GetMachineSnapshot>(_ => Sender.Tell(new Status.Failure(new InvalidOperationException(_refusal))));
        Command<StopMachine>(_ => Context.Stop(Self));
        CommandAny(message => _log.Warning("{0}: ignored {1}", _refusal, message.GetType().Name));
    }

    /// <summary>Deliveries of sends already requested and persistence's answers: handled in every running state.</summary>
    private void CommandBookkeeping()
    {
        Command<DelayedSendDue>(due => Machine.HandleDelivery(due));
        Command<ResolveTimedOut>(timeout => Machine.HandleDelivery(timeout));
        Command<ActorIdentity>(identity =>
        {
            if (!Machine.HandleDelivery(identity)) Unhandled(identity);
        });
        Command<Terminated>(terminated =>
        {
            if (!Machine.HandleDelivery(terminated)) Unhandled(terminated);
        });
        Command<EventAcknowledged>(acknowledged =>
        {
            if (!Machine.HandleDelivery(acknowledged)) Unhandled(acknowledged);
            StopIfAcknowledged();
        });
        Command<RedeliveryDue>(due =>
        {
            Machine.HandleDelivery(due);
            StopIfAcknowledged();
        });
        Command<SaveSnapshotSuccess>(saved =>
        {
            // The snapshot holds the whole state: journal rows up to it, and older snapshots, are no longer needed.
            DeleteMessages(saved.Metadata.SequenceNr);
            DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
        });
        Command<SaveSnapshotFailure>(failed =>
            _log.Warning("Machine '{0}': snapshot at {1} not saved ({2}); its journal keeps every state until the next one", _definition.Id, failed.Metadata.SequenceNr, failed.Cause.Message));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(failed => _log.Warning("Machine '{0}': old journal rows not deleted: {1}", _definition.Id, failed.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failed => _log.Warning("Machine '{0}': old snapshots not deleted: {1}", _definition.Id, failed.Cause.Message));
    }

    /// <summary>
    /// An event on an acknowledged channel: the next number is applied (acknowledged once its state is stored), an
    /// earlier one is acknowledged again without being applied, a later one waits for the sender to send the ones
    /// before it again (it does, in order, until acknowledged).
    /// </summary>
    private void OnAcknowledgedEvent(AcknowledgedEvent message)
    {
        var last = _applied.Last(message.Channel);
        if (message.Sequence <= last)
        {
            Sender.Tell(new EventAcknowledged(_definition.Id, message.Channel, last), Self);
            return;
        }
        if (message.Sequence != last + 1)
        {
            if (_log.IsDebugEnabled)
                _log.Debug("Machine '{0}': event {1} of channel {2} before {3}: left for the sender to send again in order", _definition.Id, message.Sequence, message.Channel, last + 1);
            return;
        }
        _applied.Applied(message.Channel, message.Sequence);
        _acknowledge = new PendingAcknowledgement(Sender, message.Channel, message.Sequence);
        Machine.HandleEvent(message.Event, Sender);
    }

    /// <summary>Acknowledges the event the last step applied, if it came on a channel: call once its state is stored.</summary>
    private void Acknowledge(PendingAcknowledgement? acknowledgement)
    {
        if (acknowledgement is not { } pending || pending.Sender.IsNobody()) return;
        pending.Sender.Tell(new EventAcknowledged(_definition.Id, pending.Channel, pending.Sequence), Self);
    }

    private PendingAcknowledgement? TakeAcknowledgement()
    {
        var pending = _acknowledge;
        _acknowledge = null;
        return pending;
    }

    /// <summary>
    /// Sharding stops the machine (passivation, hand-off): not before what it sent to other sharded machines is
    /// acknowledged (or given up on, which raises error.communication), since its redelivery lives in this actor.
    /// Sharding's hand-off stopper bounds the wait (handoff-timeout).
    /// </summary>
    private void StopWhenAcknowledged()
    {
        _stopWhenAcknowledged = true;
        StopIfAcknowledged();
    }

    private void StopIfAcknowledged()
    {
        if (_stopWhenAcknowledged && Machine.Unacknowledged == 0) Context.Stop(Self);
    }

    private void AfterStep()
    {
        if (Machine.HasPendingAsync)
        {
            // Mid-way through async actions the context may still change: the state is stored once they complete.
            Machine.FlushOutbox();
            Machine.AwaitAsyncActions();
            Become(WaitingForAsyncActions);
            return;
        }
        if (_starting || !_options.Persisted)
        {
            // The initial step's state is not stored (starting afresh gives it again); it is the baseline for "changed".
            Machine.FlushOutbox();
            if (_starting && _options.Persisted) _lastStored = CurrentState();
            Acknowledge(TakeAcknowledgement()); // not persisted: the applied numbers live in memory
            return;
        }
        var state = CurrentState();
        if (state is null || state == _lastStored)
        {
            Machine.FlushOutbox();
            Acknowledge(TakeAcknowledgement());
            return;
        }
        _lastStored = state;
        var sends = Machine.TakeOutbox();
        var acknowledgement = TakeAcknowledgement();
        Persist(state, stored =>
        {
            Machine.Send(sends);
            Acknowledge(acknowledgement);
            if (LastSequenceNr % _options.SnapshotInterval == 0) SaveSnapshot(stored);
        });
    }

    /// <summary>
    /// What to store: the machine's snapshot as JSON with the numbers applied per channel, or null (logged at Error)
    /// when its context holds what a snapshot cannot carry.
    /// </summary>
    private string? CurrentState()
    {
        try
        {
            return StoredMachineState.Format(Machine.Interpreter.GetSnapshot().ToJson(), _applied);
        }
        catch (StatechartSnapshotException e)
        {
            _log.Error(e, "Machine '{0}': its state cannot be persisted, so it would not survive a restart: {1}", _definition.Id, e.Message);
            return null;
        }
    }

    /// <summary>An event applied on an acknowledged channel, to be acknowledged to its sender once stored.</summary>
    private readonly record struct PendingAcknowledgement(IActorRef Sender, string Channel, long Sequence);
}
