using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Akka.Event;

namespace XStateNet.Actors.Sharding;

/// <summary>
/// The sharded machine types of an actor system (a cluster member): <see cref="StartAsync"/> starts one, and from then
/// on every id with its prefix is an entity of its shard region, reached by any machine's <c>RequestSend</c> and
/// <c>Reply</c>, and by <see cref="Tell"/> and <see cref="GetSnapshotAsync"/> from outside machines.
/// </summary>
public sealed class ShardedMachines : IExtension
{
    private readonly ExtendedActorSystem _system;
    private readonly ConcurrentDictionary<string, StartedType> _types = new(StringComparer.Ordinal);
    private readonly Lazy<IActorRef> _outside;
    private readonly ConcurrentDictionary<string, bool> _warnedPlugins = new(StringComparer.Ordinal);

    /// <summary>Use <see cref="For"/>.</summary>
    public ShardedMachines(ExtendedActorSystem system)
    {
        _system = system ?? throw new ArgumentNullException(nameof(system));
        _outside = new Lazy<IActorRef>(() => _system.SystemActorOf(Props.Create(() => new OutsideSender()), "xstatenet-outside-sends"));
    }

    /// <summary>The sharded machines of <paramref name="system"/>.</summary>
    public static ShardedMachines For(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.WithExtension<ShardedMachines, ShardedMachinesProvider>();
    }

    /// <summary>The types started on this node, by name.</summary>
    public IReadOnlyCollection<string> TypeNames => _types.Keys.ToArray();

    /// <summary>
    /// Starts machine type <paramref name="typeName"/> on this node: its shard region when this member hosts it (no
    /// role set, or this member has the role), else a proxy to the members that do. Every node of the cluster that
    /// sends to these machines starts the type, with the same name, prefix and shard count.
    /// </summary>
    /// <returns>The region (or proxy): tell it a <see cref="ShardingEnvelope"/> of the machine id and a <see cref="MachineEvent"/>.</returns>
    /// <exception cref="InvalidOperationException">No chart or prefix set, the type already started, the node is not a cluster member, or the SQLite machine store's setup is for another file than its HOCON.</exception>
    /// <exception cref="ArgumentException">The prefix overlaps another type's.</exception>
    /// <exception cref="Statecharts.StatechartDefinitionException">Names the chart uses were not supplied (all listed).</exception>
    public async Task<IActorRef> StartAsync(string typeName, ShardedMachineOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(typeName);
        ArgumentNullException.ThrowIfNull(options);
        var prefix = options.PrefixOrThrow(typeName);
        options.DefinitionFor(typeName, prefix + "0").Validate();
        if (_system.Provider is not Akka.Cluster.ClusterActorRefProvider)
            throw new InvalidOperationException($"Sharded machine type '{typeName}': this actor system is not a cluster member (akka.actor.provider = cluster is required)");
        Serialization.MachineEventBinding.Check(_system);
        if (_types.ContainsKey(typeName)) throw new InvalidOperationException($"Sharded machine type '{typeName}' is already started on this node");

        if (options.Persisted) UseStore(typeName, options);
        var sharding = ClusterSharding.Get(_system);
        var settings = Settings(typeName, options);
        var extractor = new MachineMessageExtractor(options.ShardCount);
        IActorRef region;
        if (options.HostRole is not { } hostRole || Cluster.Get(_system).SelfRoles.Contains(hostRole))
        {
            region = await sharding.StartAsync(typeName, machineId => Props.Create(() => new MachineEntity(typeName, options, machineId)),
                settings, extractor, sharding.DefaultShardAllocationStrategy(settings), StopMachine.Instance).ConfigureAwait(false);
        }
        else
        {
            region = await sharding.StartProxyAsync(typeName, hostRole, extractor).ConfigureAwait(false);
        }
        // Acknowledged: sharding may drop a message during a hand-off, so machines' sends go again until acknowledged.
        MachineRoutes.For(_system).SetPrefixRoute(prefix, region, static (id, message) => new ShardingEnvelope(id, message), acknowledged: true);
        _types[typeName] = new StartedType(typeName, prefix, region);
        return region;
    }

    /// <summary>
    /// Tells the machine <paramref name="machineId"/> a message (a <see cref="MachineEvent"/>, <see cref="GetMachineSnapshot"/>)
    /// through its region: at most once, as Akka's <c>Tell</c> (sharding may drop it while the machine's shard moves);
    /// <see cref="SendAsync"/> sends an event until it is acknowledged.
    /// </summary>
    /// <exception cref="ArgumentException">No sharded type started here has a prefix <paramref name="machineId"/> starts with.</exception>
    public void Tell(string machineId, object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        RegionOf(machineId).Tell(new ShardingEnvelope(machineId, message), sender ?? ActorRefs.NoSender);
    }

    /// <summary>
    /// Sends <paramref name="message"/> to machine <paramref name="machineId"/> from code outside machines, on an
    /// acknowledged channel as machines' own sends to sharded ids go: numbered, sent again every
    /// <c>xstatenet.acknowledged-sends.redeliver-interval</c> until the machine has applied it and stored its new
    /// state (so a message sharding dropped during a hand-off or with a dead node arrives all the same), and applied
    /// once. Events sent this way from one actor system reach each machine in the order of the calls. Use it where
    /// <see cref="Tell"/> (at most once) is not enough. A <c>Reply</c> of the machine to such an event reaches nobody:
    /// send from a machine to get replies.
    /// </summary>
    /// <returns>A task that completes once the machine has applied the event and stored its new state.</returns>
    /// <exception cref="ArgumentException">No sharded type started here has a prefix <paramref name="machineId"/> starts with.</exception>
    /// <exception cref="TimeoutException">
    /// Not acknowledged within <c>xstatenet.acknowledged-sends.give-up-after</c> (the message says how often it was
    /// sent); the event may have been applied, never twice.
    /// </exception>
    public Task SendAsync(string machineId, MachineEvent message)
    {
        ArgumentNullException.ThrowIfNull(message);
        RegionOf(machineId); // names the id with no sharded type at once, in the caller's stack
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _outside.Value.Tell(new OutsideSender.Send(machineId, message, done));
        return done.Task;
    }

    /// <summary>
    /// Asks machine <paramref name="machineId"/> for its <see cref="MachineSnapshot"/> (starting it from its stored
    /// state if it was passivated). Sharding may drop the ask while the machine's shard moves (a hand-off, a node
    /// that died), so it is asked again every 5 s (or a quarter of <paramref name="timeout"/>, if shorter) until
    /// one answer arrives or <paramref name="timeout"/> (default 30 s) has passed.
    /// </summary>
    /// <exception cref="ArgumentException">No sharded type started here has a prefix <paramref name="machineId"/> starts with.</exception>
    /// <exception cref="InvalidOperationException">The machine refused its stored state (the message says what no longer matches).</exception>
    /// <exception cref="AskTimeoutException">No answer within <paramref name="timeout"/>; the message says how many times it was asked.</exception>
    public async Task<MachineSnapshot> GetSnapshotAsync(string machineId, TimeSpan? timeout = null)
    {
        var region = RegionOf(machineId);
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit, TimeSpan.Zero, nameof(timeout));
        var answer = await AskAgainUntilAnswered(region, machineId, limit).ConfigureAwait(false);
        return answer switch
        {
            MachineSnapshot snapshot => snapshot,
            Status.Failure failure => throw new InvalidOperationException(failure.Cause.Message, failure.Cause),
            _ => throw new InvalidOperationException($"machine '{machineId}' answered {answer.GetType().Name} instead of a snapshot"),
        };
    }

    /// <summary>
    /// One ask actor (<see cref="SnapshotAsker"/>) for all the attempts, so an answer to an earlier attempt counts
    /// too (a slow recovery answers the first ask after the second went out).
    /// </summary>
    private async Task<object> AskAgainUntilAnswered(IActorRef region, string machineId, TimeSpan limit)
    {
        var every = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(5).Ticks, Math.Max(limit.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks)));
        var answer = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        var asker = _system.SystemActorOf(Props.Create(() => new SnapshotAsker(region, machineId, every, limit, answer)));
        try
        {
            return await answer.Task.ConfigureAwait(false);
        }
        finally
        {
            _system.Stop(asker);
        }
    }

    /// <summary>The region (or proxy) of the type whose prefix <paramref name="machineId"/> starts with.</summary>
    /// <exception cref="ArgumentException">No sharded type started here has such a prefix.</exception>
    public IActorRef RegionOf(string machineId)
    {
        ArgumentException.ThrowIfNullOrEmpty(machineId);
        foreach (var type in _types.Values)
        {
            if (machineId.StartsWith(type.Prefix, StringComparison.Ordinal)) return type.Region;
        }
        throw new ArgumentException($"'{machineId}' is not the id of a sharded machine of this node: the prefixes started here are " +
                                    $"[{string.Join(", ", _types.Values.Select(type => $"'{type.Prefix}' ({type.Name})"))}]", nameof(machineId));
    }

    /// <summary>
    /// The journal and snapshot store the type's machines use: SQLite files in write-ahead-log mode, and the SQLite
    /// machine store checked for its setup (a warning, once per plugin, when it runs without).
    /// </summary>
    private void UseStore(string typeName, ShardedMachineOptions options)
    {
        var config = _system.Settings.Config;
        var journal = options.Journal ?? config.GetString("akka.persistence.journal.plugin", "");
        var snapshots = options.SnapshotStore ?? config.GetString("akka.persistence.snapshot-store.plugin", "");
        SqliteFiles.UseWriteAheadLog(config, journal, snapshots);
        if (ReplayFilterCheck.DropsMovedMachines(config, journal) is { } mode && _warnedPlugins.TryAdd(journal + ".replay-filter", true))
        {
            _system.Log.Warning(
                "Sharded machine type '{0}': journal '{1}' is Akka.Persistence.Sql's with '{1}.replay-filter.mode = {2}'. That journal stamps rows " +
                "with one id per node, so the filter takes the rows of a machine that moved from a node and back for a stale writer's and drops " +
                "them on recovery: the machine resumes from an older state. Set '{1}.replay-filter.mode = off' (MachineStore's stores do; the " +
                "journal's unique key already refuses a second writer)", typeName, journal, mode);
        }
        foreach (var plugin in new[] { journal, snapshots })
        {
            if (SqliteStoreSetupCheck.MissingSetup(_system, plugin) && _warnedPlugins.TryAdd(plugin, true))
            {
                _system.Log.Warning(
                    "Sharded machine type '{0}': the SQLite machine store's plugin '{1}' runs without its actor-system setup (MachineStore.SqliteSetup): " +
                    "SQLite's busy_timeout and synchronous are not set on its connections, so a busy file is retried by Microsoft.Data.Sqlite " +
                    "(machines re-activated 3.4-3.7x slower in the benchmark). Add MachineStore.SqliteSetup(path) to the actor system's setup " +
                    "(Akka.Hosting's WithSqliteMachineStore and WithShardedMachines add it)", typeName, plugin);
            }
        }
    }

    private ClusterShardingSettings Settings(string typeName, ShardedMachineOptions options)
    {
        var config = _system.Settings.Config;
        var sharding = ConfigurationFactory.ParseString(
                $"passivate-idle-entity-after = {(options.Passivation is { } idle ? $"{(long)idle.TotalMilliseconds}ms" : "off")}\nremember-entities = off")
            .WithFallback(config.GetConfig("akka.cluster.sharding"));
        var settings = ClusterShardingSettings.Create(sharding, config.GetConfig("akka.cluster.singleton"));
        return options.HostRole is { } role ? settings.WithRole(role) : settings;
    }

    private sealed record StartedType(string Name, string Prefix, IActorRef Region);
}

/// <summary>Creates the <see cref="ShardedMachines"/> extension.</summary>
public sealed class ShardedMachinesProvider : ExtensionIdProvider<ShardedMachines>
{
    /// <inheritdoc />
    public override ShardedMachines CreateExtension(ExtendedActorSystem system) => new(system);
}
