using Akka.Configuration;
using Akka.Persistence.Sql.Config;
using LinqToDB;
using Microsoft.Data.Sqlite;

namespace XStateNet.Actors.Sharding;

/// <summary>
/// Where sharded machines persist: HOCON for Akka.Persistence's journal and snapshot store. The default is an SQLite
/// file through Akka.Persistence.Sql (<see cref="Sqlite"/>, with its actor-system setup <see cref="SqliteSetup"/>); any database Akka.Persistence.Sql supports works the same
/// way (<see cref="Sql"/>, e.g. provider <c>PostgreSQL.15</c> or <c>SqlServer.2019</c> with its ADO.NET driver
/// referenced by the app); <see cref="InMemory"/> is for tests.
/// </summary>
public static class MachineStore
{
    /// <summary>The SQLite file used when none is given: <c>xstatenet-machines.db</c> next to the app.</summary>
    public static string DefaultSqlitePath => Path.Combine(AppContext.BaseDirectory, "xstatenet-machines.db");

    /// <summary>The HOCON path (and <c>plugin-id</c>) of the SQLite machine store's journal plugin (<see cref="Sqlite"/>).</summary>
    public const string SqliteJournalPluginId = "xstatenet.machine-store.journal";

    /// <summary>The HOCON path (and <c>plugin-id</c>) of the SQLite machine store's snapshot store plugin (<see cref="Sqlite"/>).</summary>
    public const string SqliteSnapshotPluginId = "xstatenet.machine-store.snapshot-store";

    /// <summary>
    /// Journal and snapshot store in the SQLite file <paramref name="path"/> (created with its tables when missing),
    /// as Akka.Persistence.Sql plugins of their own (<see cref="SqliteJournalPluginId"/>,
    /// <see cref="SqliteSnapshotPluginId"/>), made the node's default journal and snapshot store; a node's own
    /// <c>akka.persistence.journal.sql</c> is not touched. Several processes on one host may share the file: SQLite
    /// locks it per write, and a writer waits for the lock up to <paramref name="busyTimeoutSeconds"/>
    /// (Akka.Persistence's call timeout is raised to match, so a write that waits for the lock is not failed by the
    /// circuit breaker first). The file is put in write-ahead-log mode when the first machine type starts, so that
    /// readers (machines recovering) never wait for a writer, and each node writes one batch at a time
    /// (<c>parallelism = 1</c>: SQLite has one writer per file).
    /// HOCON cannot carry SQLite's per-connection settings: give the actor system <see cref="SqliteSetup"/> with the
    /// same path too (Akka.Hosting's <c>WithSqliteMachineStore</c> and <c>WithShardedMachines</c> do).
    /// </summary>
    public static Config Sqlite(string? path = null, int busyTimeoutSeconds = 30)
    {
        var connection = Quote(SqliteConnectionString(path, busyTimeoutSeconds));
        return ConfigurationFactory.ParseString($$"""
            akka.persistence {
              journal.plugin = "{{SqliteJournalPluginId}}"
              snapshot-store.plugin = "{{SqliteSnapshotPluginId}}"
            }
            {{SqliteJournalPluginId}} {
              class = "Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql"
              plugin-id = "{{SqliteJournalPluginId}}"
              connection-string = {{connection}}
              provider-name = "SQLite.MS"
              auto-initialize = true
              # SQLite has one writer per file: more concurrent batches per node only wait on its lock.
              parallelism = 1
              {{ReplayFilterOff}}
              circuit-breaker.call-timeout = {{busyTimeoutSeconds}}s
            }
            {{SqliteSnapshotPluginId}} {
              class = "Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql"
              plugin-id = "{{SqliteSnapshotPluginId}}"
              connection-string = {{connection}}
              provider-name = "SQLite.MS"
              auto-initialize = true
              circuit-breaker.call-timeout = {{busyTimeoutSeconds}}s
            }
            """);
    }

    /// <summary>
    /// The actor-system setup that goes with <see cref="Sqlite"/> (same <paramref name="path"/> and
    /// <paramref name="busyTimeoutSeconds"/>): Akka.Persistence.Sql data options for the store's two plugins, and only
    /// for them, that run SQLite's <c>busy_timeout</c> and <c>synchronous</c> PRAGMAs on every connection the store
    /// opens. Without it a busy file is retried by Microsoft.Data.Sqlite's own loop (machines re-activated
    /// 3.4–3.7× slower in the benchmark). <c>synchronous</c> is <c>NORMAL</c> (in write-ahead-log mode a commit
    /// survives the process's death but not a power cut), or <c>FULL</c> when <paramref name="durableOnPowerLoss"/>.
    /// For a system built by hand: <c>ActorSystem.Create(name, BootstrapSetup.Create().WithConfig(config).And(MachineStore.SqliteSetup(path)))</c>.
    /// An actor system has one <see cref="MultiDataOptionsSetup"/>: pass yours as <paramref name="addTo"/> to add the
    /// store's entries to it.
    /// </summary>
    /// <returns><paramref name="addTo"/>, or a new setup, holding data options for <see cref="SqliteJournalPluginId"/> and <see cref="SqliteSnapshotPluginId"/>.</returns>
    public static MultiDataOptionsSetup SqliteSetup(string? path = null, int busyTimeoutSeconds = 30, bool durableOnPowerLoss = false, MultiDataOptionsSetup? addTo = null)
    {
        var connectionString = SqliteConnectionString(path, busyTimeoutSeconds);
        var pragmas = new SqliteConnectionPragmas(busyTimeoutSeconds, durableOnPowerLoss);
        var setup = addTo ?? new MultiDataOptionsSetup();
        foreach (var pluginId in new[] { SqliteJournalPluginId, SqliteSnapshotPluginId })
        {
            setup.AddDataOptions(pluginId, new DataOptions().UseConnectionString(ProviderName.SQLiteMS, connectionString).UseInterceptor(pragmas));
        }
        return setup;
    }

    internal static string SqliteConnectionString(string? path, int busyTimeoutSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(busyTimeoutSeconds, 1);
        var file = Path.GetFullPath(string.IsNullOrEmpty(path) ? DefaultSqlitePath : path);
        return new SqliteConnectionStringBuilder { DataSource = file, Pooling = true, DefaultTimeout = busyTimeoutSeconds }.ToString();
    }

    /// <summary>
    /// Journal and snapshot store in any database Akka.Persistence.Sql supports: <paramref name="providerName"/> is a
    /// <c>LinqToDB.ProviderName</c> value (<c>SQLite.MS</c>, <c>PostgreSQL.15</c>, <c>SqlServer.2019</c>, ...); the app
    /// references the database's ADO.NET driver (Npgsql, Microsoft.Data.SqlClient). Tables are created when missing.
    /// </summary>
    public static Config Sql(string connectionString, string providerName)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentException.ThrowIfNullOrEmpty(providerName);
        var connection = Quote(connectionString);
        var provider = Quote(providerName);
        return ConfigurationFactory.ParseString($$"""
            akka.persistence {
              journal {
                plugin = "akka.persistence.journal.sql"
                sql {
                  class = "Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql"
                  connection-string = {{connection}}
                  provider-name = {{provider}}
                  auto-initialize = true
                  {{ReplayFilterOff}}
                }
              }
              snapshot-store {
                plugin = "akka.persistence.snapshot-store.sql"
                sql {
                  class = "Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql"
                  connection-string = {{connection}}
                  provider-name = {{provider}}
                  auto-initialize = true
                }
              }
            }
            """);
    }

    /// <summary>
    /// Akka.Persistence.Sql stamps every journal row with its journal's id, one per node, not one per incarnation of
    /// the persistent actor. A machine that moves from node X to Y and back (hand-offs, a rolling restart) has rows of
    /// X, then Y, then X again; Akka's replay filter in its default mode (<c>repair-by-discard-old</c>) takes X's later
    /// rows for a stale writer's and drops them on recovery, so the machine would silently resume from an older state.
    /// The filter guards stores that can hold two rows with one sequence number; these tables cannot (their unique key
    /// on persistence id and sequence number refuses the second writer's row, and that writer's machine stops).
    /// </summary>
    private const string ReplayFilterOff = "replay-filter.mode = off";

    /// <summary>Akka's in-memory journal and snapshot store: state survives passivation, not the process. For tests.</summary>
    public static Config InMemory => ConfigurationFactory.ParseString("""
        akka.persistence {
          journal.plugin = "akka.persistence.journal.inmem"
          snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        }
        """);

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
