using Akka.Configuration;
using Akka.Hosting;

namespace XStateNet.Actors.Transport.Pipes;

/// <summary>Akka.Hosting: switch a node to the named-pipe transport without hand-written HOCON.</summary>
public static class PipeRemotingHostingExtensions
{
    /// <summary>The ready file <c>hocon/pipes.conf</c>, embedded in this assembly.</summary>
    public static Config PipesConfig { get; } =
        TransportRemotingHosting.EmbeddedConfig(typeof(PipeRemotingHostingExtensions).Assembly, "XStateNet.Actors.Transport.Pipes.pipes.conf");

    /// <summary>
    /// Adds <c>hocon/pipes.conf</c> (provider, enabled transport, failure detectors tuned for one host) with this
    /// node's hostname and port from <paramref name="options"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithPipeRemoting(this AkkaConfigurationBuilder builder, PipeRemotingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return builder.WithTransportRemoting(PipesConfig, "akka.remote.pipe", options.Hostname, options.Port);
    }
}
