using Akka.Hosting;

namespace XStateNet.Actors.Hosting;

/// <summary>Akka.Hosting: adds the named-pipe transport to a node without hand-written HOCON.</summary>
public static class PipeRemotingHostingExtensions
{
    /// <summary>
    /// Adds the pipe transport: the ready file <c>hocon/pipes.conf</c> (liveness-aware provider, failure detectors tuned
    /// for one host) behind the node's own settings, the keys set in <paramref name="options"/> in front, and
    /// <c>akka.remote.pipe</c> to <c>akka.remote.enabled-transports</c> next to the transports already there (TCP of
    /// an earlier <c>WithRemoting</c>, shared memory).
    /// </summary>
    /// <exception cref="Akka.Configuration.ConfigurationException">
    /// At start: Akka.Remote.Hosting's <c>WithRemoting</c> was called after this (call it before, so both transports run).
    /// </exception>
    public static AkkaConfigurationBuilder WithPipeRemoting(this AkkaConfigurationBuilder builder, PipeRemotingOptions options) =>
        builder.WithTransportRemoting(options);

    /// <summary>As <see cref="WithPipeRemoting(AkkaConfigurationBuilder, PipeRemotingOptions)"/>, with options set by <paramref name="configure"/>.</summary>
    public static AkkaConfigurationBuilder WithPipeRemoting(this AkkaConfigurationBuilder builder, Action<PipeRemotingOptions> configure) =>
        builder.WithTransportRemoting(configure);
}
