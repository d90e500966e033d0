using Akka.Configuration;
using XStateNet.Actors.Transports;

namespace XStateNet.Actors.Samples.Pipeline.Transports;

/// <summary>
/// Maps <c>--transport</c> names (the repository's catalogue) to the HOCON files in <c>hocon/</c> (copied next to the executable) and checks
/// that the classes a file names can be loaded, so a transport that is not built in says so instead of failing
/// inside Akka.
/// </summary>
internal static class TransportCatalog
{
    /// <summary>The default per the sample's contract: shared memory, the fastest on one host.</summary>
    public const string DefaultName = "shm";

    /// <summary>What the default falls back to while shm is not available in this build.</summary>
    public const string FallbackName = "tcp";

    /// <summary>The repository's transports (<see cref="KnownTransports"/>), the default first.</summary>
    public static readonly IReadOnlyList<string> Names =
        KnownTransports.All.OrderBy(known => known.Name == DefaultName ? 0 : 1).Select(known => known.Name).ToList();

    public static string HoconFolder => Path.Combine(AppContext.BaseDirectory, "hocon");

    /// <summary>The HOCON file of a transport name, whether or not it is in this build.</summary>
    public static string? FileOf(string name) => KnownTransports.Find(name) is { } known ? Path.Combine(HoconFolder, known.HoconFile) : null;

    /// <summary>The transport named, or why it cannot be used.</summary>
    public static bool TryLoad(string name, out TransportProfile profile, out string problem)
    {
        profile = null!;
        if (FileOf(name) is not { } path)
        {
            problem = $"unknown transport '{name}' (known: {string.Join(", ", Names)})";
            return false;
        }
        var fileName = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            problem = $"hocon/{fileName} is not in this build, so the {name} transport is not available yet";
            return false;
        }
        Config config;
        try
        {
            config = ConfigurationFactory.ParseString(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or ConfigurationException or FormatException)
        {
            problem = $"hocon/{fileName} cannot be read: {e.Message}";
            return false;
        }

        var enabled = config.GetStringList("akka.remote.enabled-transports", []);
        if (enabled.Count == 0)
        {
            problem = $"hocon/{fileName} enables no transport (akka.remote.enabled-transports is empty)";
            return false;
        }
        var section = enabled[0];
        foreach (var (key, what) in new[] { ($"{section}.transport-class", "transport class"), ("akka.actor.provider", "actor-ref provider") })
        {
            var typeName = config.GetString(key, null);
            if (typeName is null || !typeName.Contains(',')) continue; // a short alias such as "remote", or Akka's default
            if (Type.GetType(typeName, throwOnError: false) is null)
            {
                problem = $"the {what} '{typeName}' named by hocon/{fileName} is not built into this sample";
                return false;
            }
        }
        var protocol = config.GetString($"{section}.transport-protocol", null) ?? section[(section.LastIndexOf('.') + 1)..];
        var hostname = config.GetString($"{section}.hostname", null);
        profile = new TransportProfile(name.ToLowerInvariant(), path, config, section, protocol,
            string.IsNullOrWhiteSpace(hostname) ? "localhost" : hostname);
        problem = "";
        return true;
    }

    /// <summary>
    /// The transport for a run: the one asked for (an error when it cannot be used), or the default, falling back
    /// to TCP with a notice when the default is not built in.
    /// </summary>
    public static TransportProfile Choose(string? asked, Action<string> notice)
    {
        if (asked is not null)
        {
            return TryLoad(asked, out var chosen, out var problem)
                ? chosen
                : throw new PipelineUsageException($"--transport {asked}: {problem}.");
        }
        if (TryLoad(DefaultName, out var preferred, out var why)) return preferred;
        notice($"The default transport ({DefaultName}) is not available: {why}. Falling back to {FallbackName}.");
        return TryLoad(FallbackName, out var fallback, out var fallbackProblem)
            ? fallback
            : throw new PipelineUsageException($"neither {DefaultName} nor {FallbackName} can be used: {fallbackProblem}.");
    }
}
