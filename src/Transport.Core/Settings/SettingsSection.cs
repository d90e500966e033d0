using Akka.Configuration;

namespace XStateNet.Actors.Transport;

/// <summary>
/// One transport's HOCON section over its embedded defaults, read key by key: every error names the key's full path
/// (<c>akka.remote.shm.ring-size: ...</c>), because Akka's own errors for a value of the wrong kind do not.
/// </summary>
internal sealed class SettingsSection
{
    private readonly Config _config;

    /// <summary>
    /// <paramref name="section"/> (what Akka hands the transport, may be null) over <paramref name="defaults"/>; a key
    /// the defaults do not have is refused (a typo must not leave the default silently in effect).
    /// </summary>
    /// <exception cref="ConfigurationException">The section has a key its defaults do not know.</exception>
    public SettingsSection(Config? section, string path, Config defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        Path = path;
        section ??= Config.Empty;
        SectionKeys.RejectUnknown(section, path, defaults.Root.GetObject().Items.Keys.ToArray());
        _config = section.WithFallback(defaults);
    }

    /// <summary>The section's full HOCON path, as errors name it (<c>akka.remote.pipe</c>).</summary>
    public string Path { get; }

    public string String(string key) => Read(key, static (c, k) => c.GetString(k, ""));

    public int Int(string key) => Read(key, static (c, k) => c.GetInt(k));

    public bool Bool(string key) => Read(key, static (c, k) => c.GetBoolean(k));

    /// <summary>A duration; a unit HOCON does not know (<c>200us</c>) gets a hint of the ones it does.</summary>
    public TimeSpan Duration(string key) => DurationSetting.Read(_config, key, Path);

    /// <summary>A size in bytes (<c>64KiB</c>), at most <paramref name="limit"/>.</summary>
    public long Bytes(string key, long limit = long.MaxValue)
    {
        var bytes = Read(key, static (c, k) => c.GetByteSize(k)) ?? 0;
        Require(bytes <= limit, key, $"must be at most {limit} bytes, was {bytes}");
        return bytes;
    }

    /// <summary>Throws naming <paramref name="key"/> unless <paramref name="condition"/> holds.</summary>
    /// <exception cref="ConfigurationException"><paramref name="condition"/> is false.</exception>
    public void Require(bool condition, string key, string problem)
    {
        if (!condition) throw new ConfigurationException($"{Path}.{key}: {problem}");
    }

    private T Read<T>(string key, Func<Config, string, T> read)
    {
        try
        {
            return read(_config, key);
        }
        catch (Exception e) when (e is not ConfigurationException || !e.Message.Contains(key, StringComparison.Ordinal))
        {
            throw new ConfigurationException($"{Path}.{key}: cannot be read: {e.Message}", e);
        }
    }
}
