using Akka.Actor;
using Akka.Configuration;
using Akka.Event;

namespace XStateNet.Actors.Hosting;

/// <summary>
/// Runs a node's actor system and restarts it in this process when its peers declare it dead
/// (<see cref="NodeRecovery"/>, <c>xstatenet.recovery.on-quarantined = restart</c>): the old system is shut down, a new
/// one starts with the same name and configuration (so the same address, with a fresh uid the peers have not
/// quarantined), and the node's set-up runs again on it.
/// </summary>
/// <example>
/// <code>
/// await using var node = RecoveringNode.Start("Pipeline", config, system => system.SpawnMachine(definition));
/// node.Restarted += (system, reason) => Console.WriteLine($"restarted: {reason}");
/// await node.Stopped;
/// </code>
/// </example>
/// <remarks>
/// The set-up must build everything a node owns from scratch: machines start again from their initial states and
/// context (what they held is lost; what peers resend arrives at the new machines), and an <see cref="IActorRef"/>
/// kept from the old system points at nothing. Read <see cref="System"/> again after <see cref="Restarted"/>.
/// With Akka.Hosting the host owns the actor system and cannot swap it: there <c>restart</c> ends the host like
/// <c>exit</c> (exit code <c>xstatenet.recovery.exit-code</c>) for its supervisor to start it again.
/// </remarks>
public sealed class RecoveringNode : IAsyncDisposable
{
    /// <summary>How often a restart tries to start the new system while the old one still holds the address.</summary>
    private const int StartAttempts = 20;

    private static readonly TimeSpan StartRetryDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    private readonly string _systemName;
    private Config _config;
    private readonly Action<ActorSystem> _setUp;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private ActorSystem _system = null!;
    private bool _restarting;
    private bool _stopping;
    private int _restarts;

    private RecoveringNode(string systemName, Config config, Action<ActorSystem> setUp)
    {
        _systemName = systemName;
        _config = config;
        _setUp = setUp;
    }

    /// <summary>Starts the actor system and runs <paramref name="setUp"/> on it (spawn the node's machines there).</summary>
    /// <exception cref="Exception">What <c>ActorSystem.Create</c> or <paramref name="setUp"/> threw; the system is terminated.</exception>
    public static RecoveringNode Start(string systemName, Config config, Action<ActorSystem> setUp)
    {
        ArgumentException.ThrowIfNullOrEmpty(systemName);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(setUp);
        var node = new RecoveringNode(systemName, config, setUp);
        node._system = node.StartIncarnation();
        node._config = PinnedPort(node._system, config);
        return node;
    }

    /// <summary>
    /// With <c>port = 0</c> the first system took a free port; a restart must take the same one, or the peers' routes
    /// would point at nothing. Done for a node with one enabled transport, whose section is known.
    /// </summary>
    private static Config PinnedPort(ActorSystem system, Config config)
    {
        var transports = config.GetStringList("akka.remote.enabled-transports", []);
        if (transports.Count != 1 || ((ExtendedActorSystem)system).Provider.DefaultAddress.Port is not { } port) return config;
        return ConfigurationFactory.ParseString($"{transports[0]}.port = {port}").WithFallback(config);
    }

    /// <summary>The node's current actor system (a new one after each restart).</summary>
    public ActorSystem System => Volatile.Read(ref _system);

    /// <summary>How many times the node has restarted its actor system.</summary>
    public int Restarts => Volatile.Read(ref _restarts);

    /// <summary>Raised after a restart, with the new actor system (already set up) and why the old one was declared dead.</summary>
    public event Action<ActorSystem, string>? Restarted;

    /// <summary>
    /// Completes when the node has stopped for good: <see cref="StopAsync"/>, or its actor system terminated other
    /// than by a restart (CoordinatedShutdown, <c>on-quarantined = exit</c>). Faults when a restart could not start
    /// the new system.
    /// </summary>
    public Task Stopped => _stopped.Task;

    /// <summary>Stops the node: no more restarts, and the current actor system is terminated.</summary>
    public async Task StopAsync()
    {
        lock (_gate) _stopping = true;
        await System.Terminate().ConfigureAwait(false);
        _stopped.TrySetResult();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => new(StopAsync());

    private ActorSystem StartIncarnation()
    {
        var system = ActorSystem.Create(_systemName, _config);
        try
        {
            NodeRecovery.For(system).Restarter = reason => BeginRestart(system, reason);
            _setUp(system);
        }
        catch
        {
            system.Terminate().Wait(ShutdownTimeout);
            throw;
        }
        system.WhenTerminated.ContinueWith(_ => OnTerminated(system), TaskScheduler.Default);
        return system;
    }

    private bool BeginRestart(ActorSystem declaredDead, string reason)
    {
        lock (_gate)
        {
            if (_stopping || _restarting || !ReferenceEquals(declaredDead, _system)) return false;
            _restarting = true;
        }
        _ = Task.Run(() => RestartAsync(declaredDead, reason));
        return true;
    }

    private async Task RestartAsync(ActorSystem old, string reason)
    {
        try
        {
            await Task.WhenAny(CoordinatedShutdown.Get(old).Run(new RestartReason(reason)), Task.Delay(ShutdownTimeout)).ConfigureAwait(false);
            await Task.WhenAny(old.WhenTerminated, Task.Delay(ShutdownTimeout)).ConfigureAwait(false);

            ActorSystem? started = null;
            for (var attempt = 1; started is null; attempt++)
            {
                lock (_gate)
                {
                    if (_stopping) return;
                }
                try
                {
                    started = StartIncarnation();
                }
                catch (Exception e) when (attempt < StartAttempts)
                {
                    // The old system's transports may still hold the address for a moment.
                    Console.Error.WriteLine($"RecoveringNode {_systemName}: restart attempt {attempt} failed ({e.GetType().Name}: {e.Message}); trying again");
                    await Task.Delay(StartRetryDelay).ConfigureAwait(false);
                }
            }

            lock (_gate)
            {
                _system = started;
                _restarting = false;
            }
            Interlocked.Increment(ref _restarts);
            started.Log.Warning("Node {0} restarted (restart {1}) after it was declared dead: {2}",
                ((ExtendedActorSystem)started).Provider.DefaultAddress, Restarts, reason);
            Restarted?.Invoke(started, reason);
        }
        catch (Exception e)
        {
            _stopped.TrySetException(new InvalidOperationException($"Node {_systemName} could not restart its actor system: {e.Message}", e));
        }
    }

    private void OnTerminated(ActorSystem system)
    {
        lock (_gate)
        {
            if (_restarting || !ReferenceEquals(system, _system)) return;
        }
        _stopped.TrySetResult();
    }

    /// <summary>The CoordinatedShutdown reason of a restart.</summary>
    public sealed class RestartReason(string why) : CoordinatedShutdown.Reason
    {
        /// <summary>Why the node was declared dead.</summary>
        public string Why { get; } = why;

        /// <inheritdoc />
        public override int ExitCode => 0;

        /// <inheritdoc />
        public override string ToString() => $"restart: {Why}";
    }
}
