using Akka.Configuration;

namespace XStateNet.Actors.Hosting;

/// <summary>What a node does once its peers have declared it dead (<c>xstatenet.recovery.on-quarantined</c>).</summary>
public enum QuarantinePolicy
{
    /// <summary>Start a new actor system in this process (when run by <see cref="RecoveringNode"/>; otherwise as <see cref="Exit"/>).</summary>
    Restart,

    /// <summary>Run CoordinatedShutdown with the exit code <c>xstatenet.recovery.exit-code</c>, for a supervisor to restart the process.</summary>
    Exit,

    /// <summary>Only log a warning.</summary>
    None,
}

/// <summary>The <c>xstatenet.recovery</c> section.</summary>
/// <param name="OnQuarantined">What to do (<c>on-quarantined</c>).</param>
/// <param name="AfterPause">A pause of this process at least this long counts as declared dead (<c>after-pause</c>); null: off.</param>
/// <param name="ExitCode">The process exit code of <see cref="QuarantinePolicy.Exit"/> (<c>exit-code</c>).</param>
public sealed record NodeRecoverySettings(QuarantinePolicy OnQuarantined, TimeSpan? AfterPause, int ExitCode)
{
    /// <summary>The HOCON path of the section.</summary>
    public const string ConfigPath = "xstatenet.recovery";

    /// <summary>Reads the section from a node's whole configuration.</summary>
    /// <exception cref="ConfigurationException">A value is not understood; the message names its key.</exception>
    public static NodeRecoverySettings From(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var policyText = config.GetString(ConfigPath + ".on-quarantined", "restart").Trim();
        var policy = policyText.ToLowerInvariant() switch
        {
            "restart" => QuarantinePolicy.Restart,
            "exit" => QuarantinePolicy.Exit,
            "none" or "off" => QuarantinePolicy.None,
            _ => throw new ConfigurationException($"{ConfigPath}.on-quarantined = \"{policyText}\": expected restart, exit or none"),
        };

        var pauseText = config.GetString(ConfigPath + ".after-pause", "auto").Trim();
        TimeSpan? afterPause = pauseText.ToLowerInvariant() switch
        {
            "off" or "none" => null,
            "auto" => config.GetTimeSpan("akka.remote.watch-failure-detector.acceptable-heartbeat-pause", TimeSpan.FromSeconds(10)),
            _ => ReadDuration(config, ConfigPath + ".after-pause", pauseText),
        };

        var exitCode = config.GetInt(ConfigPath + ".exit-code", 75);
        if (exitCode is < 1 or > 255) throw new ConfigurationException($"{ConfigPath}.exit-code = {exitCode}: expected 1 to 255");
        return new NodeRecoverySettings(policy, afterPause, exitCode);
    }

    private static TimeSpan ReadDuration(Config config, string key, string text)
    {
        try
        {
            var value = config.GetTimeSpan(key);
            if (value > TimeSpan.Zero) return value;
        }
        catch (FormatException)
        {
        }
        throw new ConfigurationException($"{key} = \"{text}\": expected a positive duration (10s), auto or off");
    }
}
