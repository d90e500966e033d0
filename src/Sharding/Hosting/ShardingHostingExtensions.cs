using Akka.Hosting;
using Akka.Persistence.Sql.Config;
using XStateNet.Actors.Hosting;

namespace XStateNet.Actors.Sharding;

/// <summary>Akka.Hosting helpers: sharded, persistent machines on a cluster member.</summary>
public static class ShardingHostingExtensions
{
    /// <summary>
    /// Starts machine type <paramref name="typeName"/> when the actor system starts (see
    /// <see cref="ShardedMachines.StartAsync"/>): every id with its prefix is an entity of a shard region, created on its
    /// first message, passivated when idle, persisted after each step that changed it. Unless the node configures
    /// Akka.Persistence itself (<c>akka.persistence.journal.plugin</c>), the machines are stored in SQLite next to the
    /// app (<see cref="MachineStore.Sqlite"/>, with its setup <see cref="MachineStore.SqliteSetup"/>).
    /// The node must be a cluster member (Akka.Cluster.Hosting's <c>WithClustering</c>).
    /// </summary>
    /// <exception cref="Statecharts.StatechartDefinitionException">The chart is invalid or names it uses were not supplied (thrown here).</exception>
    /// <exception cref="InvalidOperationException">No chart or no id prefix (thrown here).</exception>
    public static AkkaConfigurationBuilder WithShardedMachines(this AkkaConfigurationBuilder builder, string typeName, Action<ShardedMachineOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(typeName);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new ShardedMachineOptions();
        configure(options);
        var prefix = options.PrefixOrThrow(typeName);
        options.DefinitionFor(typeName, prefix + "0").Validate(); // fail while configuring, not as the host starts
        return builder.WithXStateNet()
            .AddHocon(MachineStore.Sqlite(), HoconAddMode.Append) // behind the node's own persistence settings
            .WithSqliteStoreSetup(path: null, replace: false)
            .WithActors((system, _) => ShardedMachines.For(system).StartAsync(typeName, options).GetAwaiter().GetResult());
    }

    /// <summary>
    /// Stores the machines in the SQLite file <paramref name="path"/> (null: next to the app), ahead of any fallback:
    /// the store's HOCON (<see cref="MachineStore.Sqlite"/>) and its actor-system setup
    /// (<see cref="MachineStore.SqliteSetup"/>: SQLite's <c>busy_timeout</c> and <c>synchronous</c> on every
    /// connection of the store's own plugins, added to the builder's <c>MultiDataOptionsSetup</c> if it has one).
    /// </summary>
    public static AkkaConfigurationBuilder WithSqliteMachineStore(this AkkaConfigurationBuilder builder, string? path = null, int busyTimeoutSeconds = 30, bool durableOnPowerLoss = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddHocon(MachineStore.Sqlite(path, busyTimeoutSeconds), HoconAddMode.Prepend)
            .WithSqliteStoreSetup(path, replace: true, busyTimeoutSeconds, durableOnPowerLoss);
    }

    /// <summary>
    /// The SQLite store's data options, in the builder's one <see cref="MultiDataOptionsSetup"/> (an actor system keeps
    /// one setup per type: another would replace the one Akka.Persistence.Sql.Hosting may have added). The fallback of
    /// <see cref="WithShardedMachines"/> does not replace what <see cref="WithSqliteMachineStore"/> put there.
    /// </summary>
    private static AkkaConfigurationBuilder WithSqliteStoreSetup(this AkkaConfigurationBuilder builder, string? path, bool replace, int busyTimeoutSeconds = 30, bool durableOnPowerLoss = false)
    {
        var setup = builder.Setups.OfType<MultiDataOptionsSetup>().FirstOrDefault();
        if (setup is null)
        {
            setup = new MultiDataOptionsSetup();
            builder.AddSetup(setup);
        }
        if (replace || !setup.TryGetDataOptionsFor(MachineStore.SqliteJournalPluginId, out _))
            MachineStore.SqliteSetup(path, busyTimeoutSeconds, durableOnPowerLoss, addTo: setup);
        return builder;
    }

    /// <summary>Stores the machines in any database Akka.Persistence.Sql supports (see <see cref="MachineStore.Sql"/>).</summary>
    public static AkkaConfigurationBuilder WithSqlMachineStore(this AkkaConfigurationBuilder builder, string connectionString, string providerName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddHocon(MachineStore.Sql(connectionString, providerName), HoconAddMode.Prepend);
    }
}
