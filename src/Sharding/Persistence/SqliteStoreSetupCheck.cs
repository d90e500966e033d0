using Akka.Actor;
using Akka.Persistence.Sql.Config;

namespace XStateNet.Actors.Sharding;

/// <summary>
/// Checks, when a persisted machine type starts, that the SQLite machine store's plugins it uses
/// (<see cref="MachineStore.Sqlite"/>) have their actor-system setup (<see cref="MachineStore.SqliteSetup"/>), and
/// that the setup is for the same file: Akka.Persistence.Sql's data options replace the plugin's
/// <c>connection-string</c>, so a setup for another file would silently store the machines there.
/// </summary>
internal static class SqliteStoreSetupCheck
{
    /// <returns>Whether the store runs without its setup (the caller logs that once).</returns>
    /// <exception cref="InvalidOperationException">The setup is for another connection string than the plugin's HOCON.</exception>
    public static bool MissingSetup(ActorSystem system, string pluginPath)
    {
        if (pluginPath is not (MachineStore.SqliteJournalPluginId or MachineStore.SqliteSnapshotPluginId)) return false;
        var config = system.Settings.Config;
        if (!config.HasPath(pluginPath)) return false;
        var plugin = config.GetConfig(pluginPath);
        var pluginId = plugin.GetString("plugin-id", pluginPath);
        var setup = system.Settings.Setup.Get<MultiDataOptionsSetup>();
        if (!setup.HasValue || !setup.Value.TryGetDataOptionsFor(pluginId, out var dataOptions)) return true;
        var configured = plugin.GetString("connection-string", "");
        var given = dataOptions?.ConnectionOptions.ConnectionString ?? "";
        if (!string.Equals(configured, given, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"'{pluginPath}.connection-string' is \"{configured}\" but the actor system's MultiDataOptionsSetup (MachineStore.SqliteSetup) " +
                $"gives plugin '{pluginId}' \"{given}\", which Akka.Persistence.Sql would use instead: give MachineStore.Sqlite and MachineStore.SqliteSetup the same path and busy timeout");
        }
        return false;
    }
}
