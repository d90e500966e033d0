using Akka.Actor;
using Akka.Configuration;

namespace XStateNet.Actors.Transport.Telemetry;

/// <summary>
/// Whether an actor system's transports and machines record metrics and traces: <c>xstatenet.telemetry.metrics</c>
/// and <c>xstatenet.telemetry.tracing</c> (both <c>on</c> when absent), read once, when the system first asks. Kept in
/// the transport core because the transports need the metrics switch and do not depend on the runtime, whose
/// <c>reference.conf</c> documents the keys and whose Akka.Hosting call (<c>WithXStateNetTelemetry</c>) sets them.
/// </summary>
/// <remarks>
/// Off means off for this actor system even when a listener is attached to the process-wide meters and source: its
/// hot paths then test one field. On costs what the instruments cost unlistened (an <c>Enabled</c> read each).
/// </remarks>
internal sealed class TelemetrySwitches : IExtension
{
    /// <summary>The HOCON section of the switches.</summary>
    public const string Section = "xstatenet.telemetry";

    private static readonly Config Defaults = ConfigurationFactory.ParseString("metrics = on\ntracing = on");

    public TelemetrySwitches(bool metrics, bool tracing)
    {
        Metrics = metrics;
        Tracing = tracing;
    }

    /// <summary>The transports and machines of this system count into their meters.</summary>
    public bool Metrics { get; }

    /// <summary>The machines of this system start step activities and pass trace context on in the events they send.</summary>
    public bool Tracing { get; }

    /// <summary>The switches of <paramref name="system"/>, read from its configuration the first time.</summary>
    /// <exception cref="ConfigurationException">A key has a value that is not on or off, or is unknown; the message names it.</exception>
    public static TelemetrySwitches For(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        try
        {
            return system.WithExtension<TelemetrySwitches, TelemetrySwitchesProvider>();
        }
        catch (Exception e) when (e is not ConfigurationException && e.InnerException is ConfigurationException invalid)
        {
            // Akka creates extensions by reflection: give the caller the settings' own error, not the wrapper.
            throw new ConfigurationException(invalid.Message, e);
        }
    }

    /// <summary>Reads the section (<c>xstatenet.telemetry</c>) of <paramref name="config"/>.</summary>
    /// <exception cref="ConfigurationException">A value is not on or off, or a key is unknown; the message names the key.</exception>
    public static TelemetrySwitches Read(Config config)
    {
        var section = new SettingsSection(config.HasPath(Section) ? config.GetConfig(Section) : null, Section, Defaults);
        return new TelemetrySwitches(OnOff(section, "metrics"), OnOff(section, "tracing"));
    }

    /// <summary>on/off (HOCON's booleans: on, off, true, false, yes, no); anything else names the key.</summary>
    private static bool OnOff(SettingsSection section, string key)
    {
        var text = section.String(key).Trim().ToLowerInvariant();
        return text switch
        {
            "on" or "true" or "yes" => true,
            "off" or "false" or "no" => false,
            _ => throw new ConfigurationException($"{Section}.{key}: must be on or off, was '{section.String(key)}'"),
        };
    }
}

/// <summary>Creates <see cref="TelemetrySwitches"/> from the system's configuration.</summary>
internal sealed class TelemetrySwitchesProvider : ExtensionIdProvider<TelemetrySwitches>
{
    public override TelemetrySwitches CreateExtension(ExtendedActorSystem system) => TelemetrySwitches.Read(system.Settings.Config);
}
