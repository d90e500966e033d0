using System.Data.Common;
using Akka.Actor.Setup;
using Akka.Persistence.Sql.Config;
using LinqToDB;
using LinqToDB.Interceptors;

namespace XStateNet.Actors.Bench.Sharding;

/// <summary>
/// An experiment of the benchmark (<c>--sqlite-pragmas "busy_timeout = 30000; synchronous = NORMAL"</c>): runs the
/// PRAGMAs on every connection Akka.Persistence.Sql opens, through a Linq2Db connection interceptor handed to the
/// plugin as an actor-system setup (HOCON cannot carry it). SQLite's own busy handler then waits for the lock,
/// instead of Microsoft.Data.Sqlite's retry loop.
/// </summary>
internal sealed class SqlitePragmas(string pragmas) : ConnectionInterceptor
{
    public static Setup Setup(string connectionString, string pragmas) =>
        new DataOptionsSetup(new DataOptions().UseConnectionString(ProviderName.SQLiteMS, connectionString).UseInterceptor(new SqlitePragmas(pragmas)));

    public override void ConnectionOpened(ConnectionEventData eventData, DbConnection connection) => Run(connection);

    public override Task ConnectionOpenedAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken)
    {
        Run(connection);
        return Task.CompletedTask;
    }

    private void Run(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = string.Join(" ", pragmas.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"PRAGMA {p};"));
        command.ExecuteNonQuery();
    }
}
