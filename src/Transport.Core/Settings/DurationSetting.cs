using Akka.Configuration;

namespace XStateNet.Actors.Transport;

/// <summary>Reads a duration from a transport's HOCON section with an error that names the key.</summary>
internal static class DurationSetting
{
    /// <summary>
    /// The duration at <paramref name="key"/> of <paramref name="config"/>. HOCON durations take the units ms, s, m,
    /// h and d, with fractions (<c>0.2ms</c> is 200 microseconds) but no sign.
    /// </summary>
    /// <param name="config">The section.</param>
    /// <param name="key">The key within it.</param>
    /// <param name="section">The section's full path, for the error (<c>akka.remote.pipe</c>).</param>
    /// <exception cref="ConfigurationException">The value is not a duration.</exception>
    public static TimeSpan Read(Config config, string key, string section)
    {
        ArgumentNullException.ThrowIfNull(config);
        try
        {
            return config.GetTimeSpan(key);
        }
        catch (FormatException)
        {
            throw new ConfigurationException(
                $"{section}.{key} = \"{config.GetString(key)}\" is not a duration: write a number and a unit of ms, s, m, h or d (0.2ms is 200 microseconds).");
        }
    }
}
