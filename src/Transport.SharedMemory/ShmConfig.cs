using Akka.Configuration;

namespace XStateNet.Actors.Transport.SharedMemory;

/// <summary>The shared-memory transport's HOCON, embedded in its assembly.</summary>
public static class ShmConfig
{
    /// <summary>Every key of <c>akka.remote.shm</c> with its default and documentation (reference.conf).</summary>
    public static Config Reference { get; } = EmbeddedHocon.Load(
        typeof(ShmConfig).Assembly, "XStateNet.Actors.Transport.SharedMemory.reference.conf");

    /// <summary>
    /// The ready file <c>hocon/shm.conf</c>: the liveness-aware provider, the shm transport enabled, Akka's failure
    /// detectors tuned for one host. Put a node's own settings in front of it with <c>WithFallback</c>.
    /// </summary>
    public static Config Ready { get; } = EmbeddedHocon.Load(
        typeof(ShmConfig).Assembly, "XStateNet.Actors.Transport.SharedMemory.shm.conf");
}
