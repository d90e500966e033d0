using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Configuration;
using Akka.Event;
using Akka.Hosting;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Config;
using Akka.Persistence.Sql.Db;
using Akka.Remote.Hosting;
using LinqToDB;
using LinqToDB.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace XStateNet.Actors.Sharding.Tests;

/// <summary>
/// The SQLite machine store's per-connection settings (<see cref="MachineStore.SqliteSetup"/>): SQLite's
/// <c>busy_timeout</c> and <c>synchronous</c> are in effect on the connections of the store's own plugins, and a
/// journal the node configures itself is left as it is.
/// </summary>
public sealed class SqliteMachineStoreSpecs
{
    [Fact]
    public async Task The_SQLite_machine_store_runs_busy_timeout_and_synchronous_on_its_connections()
    {
        var file = TempFile("store");
        try
        {
            var setup = MachineStore.SqliteSetup(file, busyTimeoutSeconds: 12);
            await using var cluster = new ClusterNodes();
            var node = await cluster.StartAsync(MachineStore.Sqlite(file, busyTimeoutSeconds: 12), setup: setup);
            var machines = ShardedMachines.For(node);
            await machines.StartAsync("order", Counter.Options().SnapshotEvery(2));
            for (var seq = 1; seq <= 3; seq++)
            {
                machines.Tell("order-1", new MachineEvent("INC", (long)seq));
                machines.Tell("order-2", new MachineEvent("INC", (long)seq));
            }
            await Counter.Eventually(async () => (await machines.GetSnapshotAsync("order-1")).Context["count"] is 3L
                                                 && (await machines.GetSnapshotAsync("order-2")).Context["count"] is 3L, "three counted each");

            // The journal's and snapshot store's own connections ran the PRAGMAs (counted before this spec opens any).
            Assert.True(Pragmas(setup, MachineStore.SqliteJournalPluginId).Connections > 0, "the journal's connections ran the PRAGMAs");
            Assert.Same(Pragmas(setup, MachineStore.SqliteJournalPluginId), Pragmas(setup, MachineStore.SqliteSnapshotPluginId));

            // Read back through the path the plugins take: their HOCON, the data options the actor system's setup gives
            // their plugin-id, Akka.Persistence.Sql's connection factory.
            Assert.Equal((12_000L, 1L), ReadPragmas(node, MachineStore.SqliteJournalPluginId, snapshots: false));
            Assert.Equal((12_000L, 1L), ReadPragmas(node, MachineStore.SqliteSnapshotPluginId, snapshots: true));
            Assert.True(Rows(file, "journal") + Rows(file, "snapshot") > 0, "the machines are stored in the store's file");
        }
        finally
        {
            Delete(file);
        }
    }

    [Fact]
    public async Task A_journal_the_node_configures_itself_is_left_alone_and_a_data_options_setup_of_its_own_is_kept()
    {
        var port = FreePort();
        var own = TempFile("own");
        var connection = $"Data Source={own};Pooling=True";
        var ownSetup = new MultiDataOptionsSetup();
        var ownOptions = new DataOptions().UseConnectionString(ProviderName.SQLiteMS, "Data Source=:memory:");
        ownSetup.AddDataOptions("my.journal", ownOptions);
        using var host = new HostBuilder().ConfigureServices(services => services.AddAkka("OwnStore", (builder, _) => builder
            .AddHocon($$"""
                akka.loglevel = WARNING
                akka.coordinated-shutdown.exit-clr = off
                akka.persistence.journal.plugin = "akka.persistence.journal.sql"
                akka.persistence.journal.sql {
                  class = "Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql"
                  connection-string = "{{connection}}"
                  provider-name = "SQLite.MS"
                  auto-initialize = true
                }
                akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.sql"
                akka.persistence.snapshot-store.sql {
                  class = "Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql"
                  connection-string = "{{connection}}"
                  provider-name = "SQLite.MS"
                  auto-initialize = true
                }
                """, HoconAddMode.Prepend)
            .AddSetup(ownSetup)
            .WithRemoting("127.0.0.1", port)
            .WithClustering(new ClusterOptions { SeedNodes = [$"akka.tcp://OwnStore@127.0.0.1:{port}"] })
            .WithShardedMachines("order", o => o.Script(Counter.Chart).Actions(Counter.Actions).IdPrefix("order-"))))
            .Build();
        try
        {
            await host.StartAsync();
            var system = host.Services.GetRequiredService<ActorSystem>();
            var machines = ShardedMachines.For(system);
            machines.Tell("order-1", new MachineEvent("INC", 1L));
            machines.Tell("order-1", new MachineEvent("INC", 2L));
            await Counter.Eventually(async () => (await machines.GetSnapshotAsync("order-1")).Context["count"] is 2L, "two counted");

            // The machines went to the node's own journal, whose connections got none of the store's PRAGMAs.
            Assert.True(Rows(own, "journal") > 0, "the node's own journal holds the machines");
            var setup = system.Settings.Setup.Get<MultiDataOptionsSetup>().Value;
            Assert.Same(ownSetup, setup); // added to, not replaced
            Assert.True(setup.TryGetDataOptionsFor("my.journal", out var kept) && ReferenceEquals(kept, ownOptions), "the node's own data options are kept");
            Assert.False(setup.TryGetDataOptionsFor("akka.persistence.journal.sql", out _), "no data options for the shared plugin id");
            Assert.Equal(0, Pragmas(setup, MachineStore.SqliteJournalPluginId).Connections);
            var (busyTimeout, synchronous) = ReadPragmas(system, "akka.persistence.journal.sql", snapshots: false);
            Assert.Equal(0L, busyTimeout); // SQLite's defaults: Microsoft.Data.Sqlite sets neither
            Assert.Equal(2L, synchronous); // FULL
            // None of the store's HOCON reached the shared plugin's section either.
            var shared = system.Settings.Config.GetConfig("akka.persistence.journal.sql");
            Assert.False(shared.HasPath("parallelism") && shared.GetInt("parallelism") == 1, "the store's parallelism = 1 leaked into the node's journal");
            Assert.Equal(connection, shared.GetString("connection-string"));
        }
        finally
        {
            await host.StopAsync();
            Delete(own);
        }
    }

    [Fact]
    public async Task A_setup_for_another_file_is_refused_naming_the_setting_and_a_missing_setup_is_logged()
    {
        var file = TempFile("mismatch");
        var other = TempFile("other");
        try
        {
            using (var mismatched = NodeWithoutCluster(MachineStore.Sqlite(file), MachineStore.SqliteSetup(other)))
            {
                var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ShardedMachines.For(mismatched.System).StartAsync("order", Counter.Options()));
                Assert.Contains($"'{MachineStore.SqliteJournalPluginId}.connection-string'", refused.Message);
                Assert.Contains(other, refused.Message);
                Assert.False(File.Exists(other), "nothing was written to the setup's file");
            }

            using var bare = NodeWithoutCluster(MachineStore.Sqlite(file), setup: null);
            var warnings = new ConcurrentQueue<string>();
            var listener = bare.System.ActorOf(Props.Create(() => new WarningListener(warnings)));
            bare.System.EventStream.Subscribe(listener, typeof(Warning));
            await ShardedMachines.For(bare.System).StartAsync("order", Counter.Options());
            await Counter.Eventually(() => Task.FromResult(warnings.Any(w => w.Contains("MachineStore.SqliteSetup", StringComparison.Ordinal))), "the missing setup logged");
            Assert.Contains(warnings, w => w.Contains(MachineStore.SqliteJournalPluginId, StringComparison.Ordinal));
        }
        finally
        {
            Delete(file);
            Delete(other);
        }
    }

    /// <summary>
    /// Opens a connection as the plugin at <paramref name="pluginPath"/> does (its HOCON over Akka.Persistence.Sql's
    /// defaults, the data options the actor system's setup gives its plugin-id, the plugin's connection factory) and
    /// reads SQLite's <c>busy_timeout</c> and <c>synchronous</c> on it.
    /// </summary>
    private static (long BusyTimeout, long Synchronous) ReadPragmas(ActorSystem system, string pluginPath, bool snapshots)
    {
        var hocon = system.Settings.Config.GetConfig(pluginPath);
        var multi = system.Settings.Setup.Get<MultiDataOptionsSetup>();
        AkkaPersistenceDataConnectionFactory factory;
        if (snapshots)
        {
            var config = new SnapshotConfig(hocon.WithFallback(SqlPersistence.DefaultSnapshotConfiguration));
            if (multi.HasValue && multi.Value.TryGetDataOptionsFor(config.PluginId!, out var options)) config = config.WithDataOptions(options!);
            factory = new AkkaPersistenceDataConnectionFactory(config);
        }
        else
        {
            var config = new JournalConfig(hocon.WithFallback(SqlPersistence.DefaultJournalConfiguration));
            if (multi.HasValue && multi.Value.TryGetDataOptionsFor(config.PluginId!, out var options)) config = config.WithDataOptions(options!);
            factory = new AkkaPersistenceDataConnectionFactory(config);
        }
        using var connection = factory.GetConnection();
        var db = (DataConnection)connection.GetTable<PragmaRow>().DataContext;
        return (db.Execute<long>("PRAGMA busy_timeout"), db.Execute<long>("PRAGMA synchronous"));
    }

    private static SqliteConnectionPragmas Pragmas(MultiDataOptionsSetup setup, string pluginId)
    {
        Assert.True(setup.TryGetDataOptionsFor(pluginId, out var options), $"the setup has data options for {pluginId}");
        return Assert.Single(options!.DataContextOptions.Interceptors!.OfType<SqliteConnectionPragmas>());
    }

    private static long Rows(string file, string table)
    {
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>A cluster-provider actor system that is not joined: enough for <see cref="ShardedMachines.StartAsync"/>'s checks.</summary>
    private static Node NodeWithoutCluster(Config store, Akka.Actor.Setup.Setup? setup)
    {
        var config = ConfigurationFactory.ParseString("""
                akka.loglevel = WARNING
                akka.actor.provider = cluster
                akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
                akka.coordinated-shutdown.exit-clr = off
                """).WithFallback(store).WithFallback(XStateNet.Actors.Configuration.XStateNetConfig.Default);
        var bootstrap = BootstrapSetup.Create().WithConfig(config);
        var name = "Store" + Guid.NewGuid().ToString("N")[..8];
        return new Node(setup is null ? ActorSystem.Create(name, config) : ActorSystem.Create(name, bootstrap.And(setup)));
    }

    private sealed record Node(ActorSystem System) : IDisposable
    {
        public void Dispose() => System.Terminate().Wait(TimeSpan.FromSeconds(20));
    }

    private sealed class WarningListener : ReceiveActor
    {
        public WarningListener(ConcurrentQueue<string> warnings) => Receive<Warning>(warning => warnings.Enqueue(warning.Message?.ToString() ?? ""));
    }

    private sealed class PragmaRow;

    private static string TempFile(string what) => Path.Combine(Path.GetTempPath(), $"xstatenet-sqlite-{what}-{Guid.NewGuid():N}.db");

    private static void Delete(string file)
    {
        SqliteConnection.ClearAllPools(); // pooled connections keep the file open
        foreach (var leftover in new[] { file, file + "-wal", file + "-shm", file + "-journal" }) File.Delete(leftover);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
