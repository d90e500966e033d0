using Akka.Configuration;

namespace XStateNet.Actors.Transport.SameHost;

/// <summary>The same-host fast path's HOCON, embedded in its assembly.</summary>
public static class SameHostConfig
{
    /// <summary>Every key of <c>akka.remote.same-host</c> with its default and documentation (reference.conf).</summary>
    public static Config Reference { get; } = EmbeddedHocon.Load(
        typeof(SameHostConfig).Assembly, "XStateNet.Actors.Transport.SameHost.reference.conf");

    /// <summary>
    /// The ready file <c>hocon/same-host.conf</c>: <c>akka.remote.dot-netty.tcp.transport-class</c> set to
    /// <see cref="SameHostTransport"/> and the liveness-aware remote provider. Put the node's own settings in front of
    /// it with <c>WithFallback</c>; a provider the node sets (cluster) takes precedence.
    /// </summary>
    public static Config Ready { get; } = EmbeddedHocon.Load(
        typeof(SameHostConfig).Assembly, "XStateNet.Actors.Transport.SameHost.same-host.conf");
}
