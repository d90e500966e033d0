using Akka.Hosting;

namespace XStateNet.Actors.Transport.SharedMemory.Hosting;

/// <summary>Akka.Hosting: switch a node to the shared-memory transport without hand-written HOCON.</summary>
public static class ShmRemotingHostingExtensions
{
    /// <summary>
    /// Adds <c>hocon/shm.conf</c> (liveness-aware provider, the shm transport, failure detectors for one host) and
    /// the node's hostname and port under <c>akka.remote.shm</c>.
    /// </summary>
    public static AkkaConfigurationBuilder WithShmRemoting(this AkkaConfigurationBuilder builder, ShmRemotingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        builder.WithTransportRemoting(ShmConfig.Ready, "akka.remote.shm", options.Hostname, options.Port);
        if (options.Directory is not null)
        {
            var quoted = "\"" + options.Directory.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
            builder.AddHocon($"akka.remote.shm.directory = {quoted}", HoconAddMode.Prepend);
        }

        return builder;
    }
}
