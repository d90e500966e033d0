using Akka.Configuration;
using Microsoft.Data.Sqlite;

namespace XStateNet.Actors.Sharding;

/// <summary>
/// Puts the SQLite files of a node's journal and snapshot store in write-ahead-log mode before the first machine
/// uses them. In SQLite's default mode a writer blocks every reader of the file; several nodes of one host sharing it
/// (machines recovering while others persist) then wait on one another until Akka.Persistence's circuit breaker
/// opens. WAL lets readers go on beside the one writer. The mode is stored in the file, so this runs once per file.
/// </summary>
internal static class SqliteFiles
{
    /// <param name="config">The node's settings.</param>
    /// <param name="plugins">The HOCON paths of the journal and snapshot store plugins the machines use.</param>
    public static void UseWriteAheadLog(Config config, params string[] plugins)
    {
        foreach (var plugin in plugins)
        {
            if (string.IsNullOrEmpty(plugin) || !config.HasPath(plugin)) continue;
            var settings = config.GetConfig(plugin);
            if (!settings.GetString("provider-name", "").StartsWith("SQLite", StringComparison.OrdinalIgnoreCase)) continue;
            var connectionString = settings.GetString("connection-string", "");
            if (string.IsNullOrEmpty(connectionString)) continue;
            var builder = new SqliteConnectionStringBuilder(connectionString);
            if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:") continue;
            var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            command.ExecuteScalar();
        }
    }
}
