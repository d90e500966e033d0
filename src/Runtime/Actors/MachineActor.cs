using Akka.Actor;
using Akka.Event;

namespace XStateNet.Actors;

/// <summary>
/// One statechart as one actor. Each message is one step of the interpreter (<see cref="MachineCore"/>); the sends
/// its actions request go out when the step completes. While an async action runs, the machine stashes everything
/// but the bookkeeping that delivers its sends, so it never handles two events at once and never blocks a thread.
/// </summary>
internal sealed class MachineActor : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    private readonly MachineDefinition _definition;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly MachineCore _machine;

    public MachineActor(MachineDefinition definition)
    {
        _definition = definition;
        _machine = new MachineCore(definition, Context, this, _log, AfterStep);
        Ready();
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        // Known here before the first step, so a machine it sends to at once can already answer it without a route.
        if (!LocalMachines.For(Context.System).Add(_definition.Id, Self))
            Context.GetLogger().Warning("Machine '{0}': another machine of this node already runs this id; sends by id keep going to that one", _definition.Id);
        var directory = Discovery.HostDirectory.For(Context.System);
        if (directory.Enabled)
        {
            try
            {
                directory.Claim(_definition.Id, Self.Path.ToStringWithoutAddress()); // a no-op when SpawnMachine claimed it
            }
            catch (Exception e) when (e is Discovery.MachineIdTakenException or InvalidOperationException or IOException or TimeoutException or Akka.Configuration.ConfigurationException)
            {
                _log.Warning("Machine '{0}' runs but is not in the host directory: {1}", _definition.Id, e.Message);
            }
        }
        Inspection.MachineObservation.For(Context.System).Register(_definition.Id, _definition.Chart, Self, _machine.Health);
        _machine.Start();
    }

    protected override void PostStop()
    {
        LocalMachines.For(Context.System).Remove(_definition.Id, Self);
        Discovery.HostDirectory.For(Context.System).Release(_definition.Id);
        Inspection.MachineObservation.For(Context.System).Unregister(Self);
        base.PostStop();
    }

    private void Ready()
    {
        Receive<MachineEvent>(message => _machine.HandleEvent(message, Sender));
        Receive<TimerDue>(_machine.HandleTimer);
        Receive<GetMachineSnapshot>(_ => Sender.Tell(_machine.Snapshot()));
        Receive<GetMachineChart>(_ => Sender.Tell(new MachineChart(_definition.Id, _definition.Chart.SourceJson)));
        ReceiveDelivery();
    }

    private void WaitingForAsyncActions()
    {
        Receive<MachineCore.AsyncActionsCompleted>(_ =>
        {
            Become(Ready);
            _machine.OnAsyncActionsCompleted();
            Stash.UnstashAll();
        });
        Receive<GetMachineSnapshot>(_ => Sender.Tell(_machine.Snapshot()));
        Receive<GetMachineChart>(_ => Sender.Tell(new MachineChart(_definition.Id, _definition.Chart.SourceJson)));
        ReceiveDelivery();
        ReceiveAny(_ => Stash.Stash());
    }

    /// <summary>Messages that deliver sends already requested; they never run machine code, so they are handled in every state.</summary>
    private void ReceiveDelivery()
    {
        Receive<DelayedSendDue>(due => _machine.HandleDelivery(due));
        Receive<ActorIdentity>(identity =>
        {
            if (!_machine.HandleDelivery(identity)) Unhandled(identity);
        });
        Receive<ResolveTimedOut>(timeout => _machine.HandleDelivery(timeout));
        Receive<Terminated>(terminated =>
        {
            if (!_machine.HandleDelivery(terminated)) Unhandled(terminated);
        });
        Receive<EventAcknowledged>(acknowledged =>
        {
            if (!_machine.HandleDelivery(acknowledged)) Unhandled(acknowledged);
        });
        Receive<RedeliveryDue>(due => _machine.HandleDelivery(due));
    }

    /// <summary>After each step: the sends go out at once; async actions still running make the machine wait for them.</summary>
    private void AfterStep()
    {
        _machine.FlushOutbox();
        if (!_machine.HasPendingAsync) return;
        _machine.AwaitAsyncActions();
        Become(WaitingForAsyncActions);
    }
}
