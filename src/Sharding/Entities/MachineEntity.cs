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
    private bool _starting;

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
                _machine = new MachineCore(_definition, Context, this, _log, AfterStep, StatechartSnapshot.FromJson(stored));
            }
            catch (Exception e) when (e is StatechartSnapshotException or StatechartDefinitionException)
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
        Command<TimerDue>(due => Machine.HandleTimer(due));
        Command<GetMachineSnapshot>(_ => Sender.Tell(Machine.Snapshot()));
        Command<StopMachine>(_ => Context.Stop(Self));
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
            return;
        }
        var state = CurrentState();
        if (state is null || state == _lastStored)
        {
            Machine.FlushOutbox();
            return;
        }
        _lastStored = state;
        var sends = Machine.TakeOutbox();
        Persist(state, stored =>
        {
            Machine.Send(sends);
            if (LastSequenceNr % _options.SnapshotInterval == 0) SaveSnapshot(stored);
        });
    }

    /// <summary>The machine's snapshot as JSON, or null (logged at Error) when its context holds what a snapshot cannot carry.</summary>
    private string? CurrentState()
    {
        try
        {
            return Machine.Interpreter.GetSnapshot().ToJson();
        }
        catch (StatechartSnapshotException e)
        {
            _log.Error(e, "Machine '{0}': its state cannot be persisted, so it would not survive a restart: {1}", _definition.Id, e.Message);
            return null;
        }
    }
}
