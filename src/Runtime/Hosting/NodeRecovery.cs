using Akka.Actor;
using Akka.Event;
using Akka.Remote;
using XStateNet.Actors.Transport;

namespace XStateNet.Actors.Hosting;

/// <summary>
/// Notices that this node's peers have declared it dead, and acts on <c>xstatenet.recovery.on-quarantined</c>.
/// </summary>
/// <remarks>
/// <para>
/// A node paused longer than its peers' failure detectors allow (SIGSTOP, a frozen VM, a very long GC) is declared
/// dead and quarantined by every peer that watched one of its actors. That is final for the node's actor system: its
/// uid stays quarantined at those peers, and after it resumes nothing it sends reaches them again. Akka's answer is a
/// new actor system: same address, fresh uid.
/// </para>
/// <para>
/// Two signs, whichever comes first: Akka tells the node it was quarantined (<see cref="ThisActorSystemQuarantinedEvent"/>,
/// when a peer refuses it), or the node sees that it was itself paused for at least <c>after-pause</c>
/// (<see cref="ProcessPauses"/>). Then, once per actor system: <c>restart</c> hands over to the
/// <see cref="RecoveringNode"/> that runs it (any other node is terminated as with <c>exit</c>); <c>exit</c> runs
/// CoordinatedShutdown and sets the process exit code for a supervisor; <c>none</c> only logs.
/// </para>
/// <para>
/// Started by <see cref="MachineSpawning.SpawnMachine(ActorSystem, MachineDefinition)"/>, the Akka.Hosting helpers and
/// <see cref="RecoveringNode"/>; <see cref="For"/> starts it in any other node. A node without remoting is never
/// declared dead and does nothing here.
/// </para>
/// </remarks>
public sealed class NodeRecovery : IExtension
{
    private readonly ExtendedActorSystem _system;
    private readonly TaskCompletionSource<string> _declaredDead = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<TimeSpan>? _onPause;
    private Func<string, bool>? _restarter;

    internal NodeRecovery(ExtendedActorSystem system)
    {
        _system = system;
        Settings = NodeRecoverySettings.From(system.Settings.Config);
        if (system.Provider is not IRemoteActorRefProvider) return;

        // Subscribed here, not in the listener's PreStart, so no event published after For() returns is missed.
        var listener = system.SystemActorOf(Props.Create(() => new QuarantineListener(this)), "xstatenet-quarantine-listener");
        system.EventStream.Subscribe(listener, typeof(ThisActorSystemQuarantinedEvent));
        if (Settings.AfterPause is { } longest)
        {
            _onPause = pause =>
            {
                if (pause >= longest)
                    DeclareDead($"this process was paused for {pause.TotalSeconds:0.0} s, at least xstatenet.recovery.after-pause " +
                                $"({longest.TotalSeconds:0.###} s): its peers have declared it dead");
            };
            ProcessPauses.Resumed += _onPause;
            system.RegisterOnTermination(() => ProcessPauses.Resumed -= _onPause);
        }
    }

    /// <summary>The recovery of <paramref name="system"/>, started if it was not.</summary>
    public static NodeRecovery For(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.WithExtension<NodeRecovery, NodeRecoveryProvider>();
    }

    /// <summary>The <c>xstatenet.recovery</c> settings this node runs with.</summary>
    public NodeRecoverySettings Settings { get; }

    /// <summary>Completes, with the reason, once this actor system has been declared dead by its peers.</summary>
    public Task<string> DeclaredDead => _declaredDead.Task;

    /// <summary>
    /// Set by <see cref="RecoveringNode"/>: called once with the reason when the policy is <c>restart</c>; returns
    /// true when it takes the restart over.
    /// </summary>
    internal Func<string, bool>? Restarter
    {
        get => Volatile.Read(ref _restarter);
        set => Volatile.Write(ref _restarter, value);
    }

    /// <summary>Acts on the policy, once; later calls (a second sign, another peer) do nothing.</summary>
    internal void DeclareDead(string reason)
    {
        if (!_declaredDead.TrySetResult(reason)) return;
        var log = _system.Log;
        switch (Settings.OnQuarantined)
        {
            case QuarantinePolicy.None:
                log.Warning("Node {0} was declared dead by its peers: {1}. xstatenet.recovery.on-quarantined = none: it stays " +
                            "unreachable for the peers that quarantined it until it is restarted", _system.Provider.DefaultAddress, reason);
                return;
            case QuarantinePolicy.Restart when Restarter is { } restart && restart(reason):
                log.Warning("Node {0} was declared dead by its peers: {1}. Restarting its actor system (same address, new uid)",
                    _system.Provider.DefaultAddress, reason);
                return;
            default:
                var how = Settings.OnQuarantined == QuarantinePolicy.Restart
                    ? "xstatenet.recovery.on-quarantined = restart, but this node is not run by RecoveringNode: shutting down"
                    : "xstatenet.recovery.on-quarantined = exit: shutting down";
                log.Warning("Node {0} was declared dead by its peers: {1}. {2} with exit code {3} for its supervisor to restart it",
                    _system.Provider.DefaultAddress, reason, how, Settings.ExitCode);
                Environment.ExitCode = Settings.ExitCode;
                CoordinatedShutdown.Get(_system).Run(new DeclaredDeadReason(Settings.ExitCode));
                return;
        }
    }

    /// <summary>The CoordinatedShutdown reason of a node its peers declared dead.</summary>
    public sealed class DeclaredDeadReason(int exitCode) : CoordinatedShutdown.Reason
    {
        /// <summary>The process exit code asked for (<c>xstatenet.recovery.exit-code</c>); used when <c>akka.coordinated-shutdown.exit-clr = on</c>.</summary>
        public override int ExitCode { get; } = exitCode;
    }
}

/// <summary>Creates the <see cref="NodeRecovery"/> extension.</summary>
public sealed class NodeRecoveryProvider : ExtensionIdProvider<NodeRecovery>
{
    /// <inheritdoc />
    public override NodeRecovery CreateExtension(ExtendedActorSystem system) => new(system);
}

/// <summary>Hears Akka say that a peer refused this node because it quarantined it.</summary>
internal sealed class QuarantineListener : ReceiveActor
{
    public QuarantineListener(NodeRecovery recovery)
    {
        Receive<ThisActorSystemQuarantinedEvent>(quarantined => recovery.DeclareDead(
            $"{quarantined.RemoteAddress} has quarantined this actor system ({quarantined.LocalAddress})"));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}
