using Akka.Configuration;

namespace XStateNet.Actors.Sharding;

/// <summary>
/// Checks, when a persisted machine type starts, whether its journal would drop rows of a machine that moved from a
/// node and back: Akka.Persistence.Sql stamps rows with one writer id per node, and Akka's replay filter, unless off,
/// takes such rows for a stale writer's (see <c>MachineStore</c>'s stores, which turn it off).
/// </summary>
internal static class ReplayFilterCheck
{
    /// <returns>The replay filter's mode when <paramref name="journal"/> is Akka.Persistence.Sql's with the filter on (the caller warns once), else null.</returns>
    public static string? DropsMovedMachines(Config config, string journal)
    {
        if (string.IsNullOrEmpty(journal) || !config.HasPath(journal)) return null;
        if (!config.GetString($"{journal}.class", "").StartsWith("Akka.Persistence.Sql.", StringComparison.Ordinal)) return null;
        var mode = config.GetString($"{journal}.replay-filter.mode", null)
                   ?? config.GetString("akka.persistence.journal-plugin-fallback.replay-filter.mode", "repair-by-discard-old");
        return string.Equals(mode, "off", StringComparison.OrdinalIgnoreCase) ? null : mode;
    }
}
