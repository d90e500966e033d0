using Akka.Configuration;

namespace XStateNet.Actors.Samples.Pipeline.Stages;

/// <summary>
/// <c>--directory PATH</c>: the stage publishes its machine in the host directory at PATH (a folder of this run's
/// own, so two runs with the same ids do not refuse each other), where <c>xstatenet inspect --directory PATH</c> finds
/// it. The stages still reach each other by their routes.
/// </summary>
internal static class InspectableConfig
{
    public static Config Of(string? directory)
    {
        if (directory is null) return Config.Empty;
        if (!Path.IsPathFullyQualified(directory)) throw new PipelineUsageException($"--directory {directory}: give an absolute path.");
        var quoted = directory.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        return ConfigurationFactory.ParseString($"xstatenet.directory {{ enabled = on, path = \"{quoted}\" }}");
    }
}
