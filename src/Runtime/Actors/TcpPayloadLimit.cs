using Akka.Actor;
using XStateNet.Actors.Transport;

namespace XStateNet.Actors;

/// <summary>
/// Akka's own TCP transport reports its limit to nobody: read <c>akka.remote.dot-netty.tcp.maximum-frame-size</c>
/// into <see cref="PayloadLimits"/> as the pipe and shared-memory transports report theirs.
/// </summary>
internal static class TcpPayloadLimit
{
    private const string Section = "akka.remote.dot-netty.tcp";

    /// <summary>Akka's default <c>maximum-frame-size</c>.</summary>
    internal const long AkkaDefault = 128000;

    public static void Report(ExtendedActorSystem system, PayloadLimits limits)
    {
        var config = system.Settings.Config;
        if (!config.GetStringList("akka.remote.enabled-transports", []).Contains(Section)) return;
        var maximum = config.GetByteSize(Section + ".maximum-frame-size") ?? AkkaDefault;
        if (maximum > 0) limits.ReportLocal(config.GetString(Section + ".transport-protocol", "tcp"), maximum);
    }
}
