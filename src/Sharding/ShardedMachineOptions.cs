using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Sharding;

/// <summary>
/// One machine type run as sharded entities: its chart, the implementations of the names it uses, which ids are
/// its machines (every id starting with <see cref="IdPrefix"/>), when idle machines are passivated, and how they are
/// persisted. Set fluently: <c>o =&gt; o.Script(json).Actions(actions).IdPrefix("order-")</c>.
/// </summary>
public sealed class ShardedMachineOptions
{
    private Statechart? _chart;
    private string? _prefix;

    internal IReadOnlyDictionary<string, Action<OrchestratedContext>> ActionsByName { get; private set; } = new Dictionary<string, Action<OrchestratedContext>>();
    internal IReadOnlyDictionary<string, Func<OrchestratedContext, Task>> AsyncActionsByName { get; private set; } = new Dictionary<string, Func<OrchestratedContext, Task>>();
    internal IReadOnlyDictionary<string, Func<OrchestratedContext, bool>> GuardsByName { get; private set; } = new Dictionary<string, Func<OrchestratedContext, bool>>();
    internal IReadOnlyDictionary<string, TimeSpan>? DelaysByName { get; private set; }
    internal TimeSpan? Passivation { get; private set; } = TimeSpan.FromMinutes(2);
    internal string? HostRole { get; private set; }
    internal bool Persisted { get; private set; } = true;
    internal int SnapshotInterval { get; private set; } = 100;
    internal string? Journal { get; private set; }
    internal string? SnapshotStore { get; private set; }
    internal int ShardCount { get; private set; } = 100;

    /// <summary>The machines' XState JSON.</summary>
    /// <exception cref="StatechartDefinitionException">The JSON is malformed or invalid (thrown here).</exception>
    public ShardedMachineOptions Script(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        _chart = Statechart.Parse(json);
        return this;
    }

    /// <summary>The machines' chart, already parsed.</summary>
    public ShardedMachineOptions Chart(Statechart chart)
    {
        _chart = chart ?? throw new ArgumentNullException(nameof(chart));
        return this;
    }

    /// <summary>Synchronous actions by name.</summary>
    public ShardedMachineOptions Actions(IReadOnlyDictionary<string, Action<OrchestratedContext>> actions)
    {
        ActionsByName = actions ?? throw new ArgumentNullException(nameof(actions));
        return this;
    }

    /// <summary>Asynchronous actions by name (the machine's next event waits for them; its state is persisted after them).</summary>
    public ShardedMachineOptions AsyncActions(IReadOnlyDictionary<string, Func<OrchestratedContext, Task>> actions)
    {
        AsyncActionsByName = actions ?? throw new ArgumentNullException(nameof(actions));
        return this;
    }

    /// <summary>Guards by name.</summary>
    public ShardedMachineOptions Guards(IReadOnlyDictionary<string, Func<OrchestratedContext, bool>> guards)
    {
        GuardsByName = guards ?? throw new ArgumentNullException(nameof(guards));
        return this;
    }

    /// <summary>Values of named delays used by <c>after</c>.</summary>
    public ShardedMachineOptions Delays(IReadOnlyDictionary<string, TimeSpan> delays)
    {
        DelaysByName = delays ?? throw new ArgumentNullException(nameof(delays));
        return this;
    }

    /// <summary>
    /// The ids of this type's machines: every id starting with <paramref name="prefix"/> (e.g. <c>"order-"</c>) is an
    /// entity of the type's shard region, and any machine's <c>RequestSend</c> to such an id reaches it. Required.
    /// </summary>
    public ShardedMachineOptions IdPrefix(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        _prefix = prefix;
        return this;
    }

    /// <summary>
    /// Stops a machine that received no message for <paramref name="idle"/> (its state stays persisted; the next
    /// message starts it again from there). Null or zero: never. Default 2 minutes.
    /// </summary>
    public ShardedMachineOptions PassivateAfter(TimeSpan? idle)
    {
        if (idle is { } value) ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, nameof(idle));
        Passivation = idle is { } positive && positive > TimeSpan.Zero ? positive : null;
        return this;
    }

    /// <summary>Only cluster members with this role host the machines; the others reach them through a proxy. Null: every member.</summary>
    public ShardedMachineOptions Role(string? role)
    {
        HostRole = string.IsNullOrEmpty(role) ? null : role;
        return this;
    }

    /// <summary>Whether machines persist their state after each step that changed it (default on). Off: sharded, in memory only.</summary>
    public ShardedMachineOptions Persistence(bool persisted)
    {
        Persisted = persisted;
        return this;
    }

    /// <summary>
    /// Every <paramref name="events"/> persisted states, a machine also saves a snapshot and deletes the journal
    /// entries before it, so recovery reads one row or a few. Default 100.
    /// </summary>
    public ShardedMachineOptions SnapshotEvery(int events)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(events, 1);
        SnapshotInterval = events;
        return this;
    }

    /// <summary>The Akka.Persistence journal plugin (HOCON path) the machines use; null: <c>akka.persistence.journal.plugin</c>.</summary>
    public ShardedMachineOptions JournalPluginId(string? pluginId)
    {
        Journal = string.IsNullOrEmpty(pluginId) ? null : pluginId;
        return this;
    }

    /// <summary>The Akka.Persistence snapshot store plugin (HOCON path); null: <c>akka.persistence.snapshot-store.plugin</c>.</summary>
    public ShardedMachineOptions SnapshotPluginId(string? pluginId)
    {
        SnapshotStore = string.IsNullOrEmpty(pluginId) ? null : pluginId;
        return this;
    }

    /// <summary>How many shards the machines are spread over (sharding's unit of rebalancing). Default 100; keep it the same on every node.</summary>
    public ShardedMachineOptions Shards(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ShardCount = count;
        return this;
    }

    internal Statechart ChartOrThrow(string typeName) =>
        _chart ?? throw new InvalidOperationException($"Sharded machine type '{typeName}': no chart; call Script(json) or Chart(chart)");

    internal string PrefixOrThrow(string typeName) =>
        _prefix ?? throw new InvalidOperationException($"Sharded machine type '{typeName}': no IdPrefix; every machine id starting with it becomes an entity");

    /// <summary>The definition of the machine with id <paramref name="machineId"/>.</summary>
    internal MachineDefinition DefinitionFor(string typeName, string machineId) =>
        new(machineId, ChartOrThrow(typeName))
        {
            Actions = ActionsByName,
            AsyncActions = AsyncActionsByName,
            Guards = GuardsByName,
            Delays = DelaysByName,
        };
}
