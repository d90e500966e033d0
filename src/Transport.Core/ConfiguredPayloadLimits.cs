using Akka.Actor;

namespace XStateNet.Actors.Transport;

/// <summary>
/// Reports into <see cref="PayloadLimits"/> the <c>maximum-frame-size</c> of every enabled transport that has not
/// reported its own: Akka's TCP transport reports to nobody (its default is 128000 bytes), and a transport that does
/// report is left as it said. Runs once, when the extension is created.
/// </summary>
internal static class ConfiguredPayloadLimits
{
    /// <summary>Akka's default <c>akka.remote.dot-netty.tcp.maximum-frame-size</c>.</summary>
    internal const long AkkaTcpDefault = 128000;

    private const string AkkaTcp = "akka.remote.dot-netty.tcp";

    public static void Report(ExtendedActorSystem system, PayloadLimits limits)
    {
        var config = system.Settings.Config;
        foreach (var section in config.GetStringList("akka.remote.enabled-transports", []))
        {
            // The scheme of the transport's addresses: its transport-protocol, else the section's last name (akka.remote.shm: shm).
            var scheme = config.GetString(section + ".transport-protocol", null) ?? section[(section.LastIndexOf('.') + 1)..];
            if (string.IsNullOrEmpty(scheme) || limits.LimitFor(new Address("akka." + scheme, system.Name)) is not null) continue;
            var maximum = config.GetByteSize(section + ".maximum-frame-size") ?? (section == AkkaTcp ? AkkaTcpDefault : null);
            if (maximum > 0) limits.ReportLocal(scheme, maximum.Value);
        }
    }
}
