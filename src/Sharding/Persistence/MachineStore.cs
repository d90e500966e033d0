using Akka.Configuration;

namespace XStateNet.Actors.Sharding;

/// <summary>
/// Where sharded machines persist: HOCON for Akka.Persistence's journal and snapshot store. The default is an SQLite
/// file through Akka.Persistence.Sql (<see cref="Sqlite"/>); any database Akka.Persistence.Sql supports works the same
/// way (<see cref="Sql"/>, e.g. provider <c>PostgreSQL.15</c> or <c>SqlServer.2019</c> with its ADO.NET driver
/// referenced by the app); <see cref="InMemory"/> is for tests.
/// </summary>
public static class MachineStore
{
    /// <summary>The SQLite file used when none is given: <c>xstatenet-machines.db</c> next to the app.</summary>
    public static string DefaultSqlitePath => Path.Combine(AppContext.BaseDirectory, "xstatenet-machines.db");

    /// <summary>
    /// Journal and snapshot store in the SQLite file <paramref name="path"/> (created with its tables when missing).
    /// Several processes on one host may share the file: SQLite locks it per write, and a writer waits for the lock
    /// up to <paramref name="busyTimeoutSeconds"/> (Akka.Persistence's call timeout is raised to match, so a write that
    /// waits for the lock is not failed by the circuit breaker first). The file is put in write-ahead-log mode when the
    /// first machine type starts, so that readers (machines recovering) never wait for a writer, and each node writes
    /// one batch at a time (<c>parallelism = 1</c>: SQLite has one writer per file).
    /// </summary>
    public static Config Sqlite(string? path = null, int busyTimeoutSeconds = 30)
    {
        var file = Path.GetFullPath(string.IsNullOrEmpty(path) ? DefaultSqlitePath : path);
        ArgumentOutOfRangeException.ThrowIfLessThan(busyTimeoutSeconds, 1);
        return ConfigurationFactory.ParseString($"""
                akka.persistence.journal.sql.circuit-breaker.call-timeout = {busyTimeoutSeconds}s
                # SQLite has one writer per file: more concurrent batches per node only wait on its lock.
                akka.persistence.journal.sql.parallelism = 1
                akka.persistence.snapshot-store.sql.circuit-breaker.call-timeout = {busyTimeoutSeconds}s
                """)
            .WithFallback(Sql($"Data Source={file};Pooling=True;Default Timeout={busyTimeoutSeconds}", "SQLite.MS"));
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

    /// <summary>Akka's in-memory journal and snapshot store: state survives passivation, not the process. For tests.</summary>
    public static Config InMemory => ConfigurationFactory.ParseString("""
        akka.persistence {
          journal.plugin = "akka.persistence.journal.inmem"
          snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        }
        """);

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
