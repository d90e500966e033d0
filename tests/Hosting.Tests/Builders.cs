using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace XStateNet.Actors.Hosting.Tests;

/// <summary>An Akka.Hosting builder outside a host, to read the HOCON the extensions write (no actor system starts).</summary>
internal static class Builders
{
    public const string Pipe = "akka.remote.pipe";
    public const string Shm = "akka.remote.shm";
    public const string Tcp = "akka.remote.dot-netty.tcp";

    public static AkkaConfigurationBuilder New() => new(new ServiceCollection(), "hocon-only");

    /// <summary>Adds the transport of <paramref name="section"/> through its own extension, options set by <paramref name="set"/>.</summary>
    public static AkkaConfigurationBuilder WithTransport(this AkkaConfigurationBuilder builder, string section,
        Action<TransportRemotingOptions>? set = null) => section switch
    {
        Pipe => builder.WithPipeRemoting(options => set?.Invoke(options)),
        Shm => builder.WithShmRemoting(options => set?.Invoke(options)),
        _ => throw new ArgumentOutOfRangeException(nameof(section), section, null),
    };

    public static Config Hocon(this AkkaConfigurationBuilder builder) => builder.Configuration.GetOrElse(Config.Empty);

    public static IList<string> EnabledTransports(this AkkaConfigurationBuilder builder) =>
        builder.Hocon().GetStringList("akka.remote.enabled-transports", []);

    public static string Unique(string what) => $"{what}-{Guid.NewGuid():N}"[..(what.Length + 9)];
}
