using Akka.Hosting;
using XStateNet.Actors.Hosting;

namespace XStateNet.Actors.Sharding;

/// <summary>Akka.Hosting helpers: sharded, persistent machines on a cluster member.</summary>
public static class ShardingHostingExtensions
{
    /// <summary>
    /// Starts machine type <paramref name="typeName"/> when the actor system starts (see
    /// <see cref="ShardedMachines.StartAsync"/>): every id with its prefix is an entity of a shard region, created on its
    /// first message, passivated when idle, persisted after each step that changed it. Unless the node configures
    /// Akka.Persistence itself, the machines are stored in SQLite next to the app (<see cref="MachineStore.Sqlite"/>).
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
            .WithActors((system, _) => ShardedMachines.For(system).StartAsync(typeName, options).GetAwaiter().GetResult());
    }

    /// <summary>Stores the machines in the SQLite file <paramref name="path"/> (null: next to the app), ahead of any fallback.</summary>
    public static AkkaConfigurationBuilder WithSqliteMachineStore(this AkkaConfigurationBuilder builder, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddHocon(MachineStore.Sqlite(path), HoconAddMode.Prepend);
    }

    /// <summary>Stores the machines in any database Akka.Persistence.Sql supports (see <see cref="MachineStore.Sql"/>).</summary>
    public static AkkaConfigurationBuilder WithSqlMachineStore(this AkkaConfigurationBuilder builder, string connectionString, string providerName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddHocon(MachineStore.Sql(connectionString, providerName), HoconAddMode.Prepend);
    }
}
