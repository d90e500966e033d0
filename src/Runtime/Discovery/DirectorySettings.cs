using Akka.Actor;
using Akka.Configuration;
using Akka.Remote;
using XStateNet.Actors.Transport;

namespace XStateNet.Actors.Discovery;

/// <summary>The settings of <c>xstatenet.directory</c>, each checked with an error that names its key.</summary>
internal sealed record DirectorySettings
{
    public const string Section = "xstatenet.directory";

    private static readonly string[] Known =
        ["enabled", "path", "heartbeat-interval", "stale-after", "max-machines", "max-nodes", "max-file-size", "lock-timeout", "movable-ids"];

    /// <summary>Whether this node publishes its machines and looks ids up.</summary>
    public required bool Enabled { get; init; }

    /// <summary>The directory's folder.</summary>
    public required string Path { get; init; }

    public required TimeSpan HeartbeatInterval { get; init; }

    public required TimeSpan StaleAfter { get; init; }

    public required int MaxMachines { get; init; }

    public required int MaxNodes { get; init; }

    public required long MaxFileSize { get; init; }

    public required TimeSpan LockTimeout { get; init; }

    /// <summary>Ids this node may claim although another live process lists them; "*" is every id.</summary>
    public required IReadOnlySet<string> MovableIds { get; init; }

    public bool IsMovable(string machineId) => MovableIds.Contains("*") || MovableIds.Contains(machineId);

    /// <exception cref="ConfigurationException">A setting is invalid or unknown; the message names its key.</exception>
    public static DirectorySettings Of(ExtendedActorSystem system)
    {
        var given = system.Settings.Config.GetConfig(Section) ?? Config.Empty;
        SectionKeys.RejectUnknown(given, Section, Known);
        // A system built without the runtime's reference.conf behind it still gets the documented defaults.
        var config = given.WithFallback(Configuration.XStateNetConfig.Default.GetConfig(Section));
        var enabled = config.GetString("enabled", "auto")?.Trim().ToLowerInvariant() switch
        {
            "auto" => SpeaksHostLocalTransport(system),
            "on" or "true" or "yes" => true,
            "off" or "false" or "no" => false,
            var other => throw new ConfigurationException($"{Section}.enabled = \"{other}\": expected on, off or auto (on when the node runs the pipe or shm transport)"),
        };
        var path = config.GetString("path", "");
        if (string.IsNullOrWhiteSpace(path)) path = DefaultPath();
        else if (!System.IO.Path.IsPathFullyQualified(path)) throw new ConfigurationException($"{Section}.path = \"{path}\": must be an absolute path");

        var settings = new DirectorySettings
        {
            Enabled = enabled,
            Path = path,
            HeartbeatInterval = Positive(config, "heartbeat-interval"),
            StaleAfter = Positive(config, "stale-after"),
            MaxMachines = AtLeast(config, "max-machines", 1),
            MaxNodes = AtLeast(config, "max-nodes", 2),
            MaxFileSize = config.GetByteSize("max-file-size") is { } size && size >= 1024
                ? size
                : throw new ConfigurationException($"{Section}.max-file-size = \"{config.GetString("max-file-size")}\": expected a size of at least 1 KiB"),
            LockTimeout = Positive(config, "lock-timeout"),
            MovableIds = config.GetStringList("movable-ids", []).ToHashSet(StringComparer.Ordinal),
        };
        if (settings.StaleAfter <= settings.HeartbeatInterval * 2)
            throw new ConfigurationException(
                $"{Section}.stale-after = {settings.StaleAfter.TotalSeconds:0.###}s must be more than twice {Section}.heartbeat-interval ({settings.HeartbeatInterval.TotalSeconds:0.###}s), or live nodes would look dead");
        return settings;
    }

    /// <summary>
    /// Where the directory lives when <c>path</c> is empty: <c>$XDG_RUNTIME_DIR/xstatenet-directory</c> (a per-user,
    /// owner-only tmpfs on systemd hosts), else <c>&lt;temp&gt;/xstatenet-directory-&lt;user&gt;</c>, created 0700.
    /// </summary>
    public static string DefaultPath()
    {
        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtime) && System.IO.Path.IsPathFullyQualified(runtime) && System.IO.Directory.Exists(runtime))
            return System.IO.Path.Combine(runtime, "xstatenet-directory");
        return System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"xstatenet-directory-{Environment.UserName}");
    }

    /// <summary>The directory sees only this host: on by default for the host-local transports, off for tcp.</summary>
    private static bool SpeaksHostLocalTransport(ExtendedActorSystem system) =>
        system.Provider is IRemoteActorRefProvider { Transport: { } transport } &&
        transport.Addresses.Any(address => address.Protocol is "akka.pipe" or "akka.shm");

    private static TimeSpan Positive(Config config, string key)
    {
        var value = DurationSetting.Read(config, key, Section);
        return value > TimeSpan.Zero ? value : throw new ConfigurationException($"{Section}.{key} = {config.GetString(key)}: must be more than zero");
    }

    private static int AtLeast(Config config, string key, int minimum)
    {
        int value;
        try
        {
            value = config.GetInt(key);
        }
        catch (FormatException)
        {
            throw new ConfigurationException($"{Section}.{key} = \"{config.GetString(key)}\" is not a whole number");
        }
        return value >= minimum ? value : throw new ConfigurationException($"{Section}.{key} = {value}: must be at least {minimum}");
    }
}
