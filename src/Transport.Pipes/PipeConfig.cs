using Akka.Configuration;

namespace XStateNet.Actors.Transport.Pipes;

/// <summary>The named-pipe transport's HOCON, embedded in its assembly (a package user has no <c>hocon/</c> folder).</summary>
public static class PipeConfig
{
    /// <summary>Every key of <c>akka.remote.pipe</c> with its default and documentation (reference.conf).</summary>
    public static Config Reference { get; } = EmbeddedHocon.Load(
        typeof(PipeConfig).Assembly, "XStateNet.Actors.Transport.Pipes.reference.conf");

    /// <summary>
    /// The ready file <c>hocon/pipes.conf</c>: the liveness-aware provider, the pipe transport enabled, Akka's failure
    /// detectors tuned for one host. Put a node's own settings in front of it with <c>WithFallback</c>.
    /// </summary>
    public static Config Ready { get; } = EmbeddedHocon.Load(
        typeof(PipeConfig).Assembly, "XStateNet.Actors.Transport.Pipes.pipes.conf");
}
