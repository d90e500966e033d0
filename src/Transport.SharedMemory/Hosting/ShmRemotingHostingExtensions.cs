using Akka.Hosting;

namespace XStateNet.Actors.Hosting;

/// <summary>Akka.Hosting: adds the shared-memory transport to a node without hand-written HOCON.</summary>
public static class ShmRemotingHostingExtensions
{
    /// <summary>
    /// Adds the shm transport: the ready file <c>hocon/shm.conf</c> (liveness-aware provider, failure detectors tuned
    /// for one host) behind the node's own settings, the keys set in <paramref name="options"/> in front, and
    /// <c>akka.remote.shm</c> to <c>akka.remote.enabled-transports</c> next to the transports already there (TCP of
    /// an earlier <c>WithRemoting</c>, pipes).
    /// </summary>
    /// <exception cref="Akka.Configuration.ConfigurationException">
    /// At start: Akka.Remote.Hosting's <c>WithRemoting</c> was called after this (call it before, so both transports run).
    /// </exception>
    public static AkkaConfigurationBuilder WithShmRemoting(this AkkaConfigurationBuilder builder, ShmRemotingOptions options) =>
        builder.WithTransportRemoting(options);

    /// <summary>As <see cref="WithShmRemoting(AkkaConfigurationBuilder, ShmRemotingOptions)"/>, with options set by <paramref name="configure"/>.</summary>
    public static AkkaConfigurationBuilder WithShmRemoting(this AkkaConfigurationBuilder builder, Action<ShmRemotingOptions> configure) =>
        builder.WithTransportRemoting(configure);
}
