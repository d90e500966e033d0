using System.Data.Common;
using LinqToDB.Interceptors;
using Microsoft.Data.Sqlite;

namespace XStateNet.Actors.Sharding;

/// <summary>
/// Sets SQLite's per-connection settings on every connection Akka.Persistence.Sql opens for the SQLite machine store
/// (a Linq2Db connection interceptor, handed to the plugin through <see cref="MachineStore.SqliteSetup"/>).
/// Microsoft.Data.Sqlite sets neither from a connection string:
/// <list type="bullet">
/// <item><c>busy_timeout</c>: SQLite itself then waits for a locked file (its busy handler sleeps and retries in
/// small steps) instead of Microsoft.Data.Sqlite's own retry loop; machines re-activated 3.4–3.7× faster in the
/// benchmark with several nodes sharing the file.</item>
/// <item><c>synchronous = NORMAL</c> (unless durable on power loss is asked for: <c>FULL</c>): in write-ahead-log
/// mode a commit then survives the process's death (<c>kill -9</c>) but not a power cut, and is not synced to disk
/// one by one.</item>
/// </list>
/// The settings last as long as the connection; a pooled connection is opened again for each use, and they are set
/// again each time (two statements without I/O).
/// </summary>
internal sealed class SqliteConnectionPragmas : ConnectionInterceptor
{
    private long _connections;

    public SqliteConnectionPragmas(int busyTimeoutSeconds, bool durableOnPowerLoss)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(busyTimeoutSeconds, 1);
        BusyTimeoutMilliseconds = checked(busyTimeoutSeconds * 1000);
        Synchronous = durableOnPowerLoss ? "FULL" : "NORMAL";
        CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = {Synchronous};";
    }

    public int BusyTimeoutMilliseconds { get; }

    public string Synchronous { get; }

    private string CommandText { get; }

    /// <summary>How many connection opens the settings were applied to (for the specs: the store's own connections got them).</summary>
    public long Connections => Interlocked.Read(ref _connections);

    public override void ConnectionOpened(ConnectionEventData eventData, DbConnection connection) => Apply(connection);

    public override Task ConnectionOpenedAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        if (connection is not SqliteConnection) return; // the store's data options name SQLite.MS; anything else is not ours to set
        using var command = connection.CreateCommand();
        command.CommandText = CommandText;
        command.ExecuteNonQuery();
        Interlocked.Increment(ref _connections);
    }
}
