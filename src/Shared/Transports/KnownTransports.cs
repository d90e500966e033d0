using Akka.Configuration;
using XStateNet.Actors.Transport.Pipes;
using XStateNet.Actors.Transport.SharedMemory;

namespace XStateNet.Actors.Transports;

/// <summary>The transports of the repository, by name: TCP (Akka.Remote's, the reference), named pipes, shared memory.</summary>
internal static class KnownTransports
{
    /// <summary>The resource name of <c>hocon/tcp.conf</c>, which <c>src/Shared/Transports.props</c> embeds (no package of ours carries TCP's file).</summary>
    public const string TcpResource = "XStateNet.Actors.Shared.tcp.conf";

    private static readonly Lazy<Config> TcpReady = new(() =>
    {
        using var stream = typeof(KnownTransports).Assembly.GetManifestResourceStream(TcpResource)
            ?? throw new InvalidOperationException($"{TcpResource} is not embedded in {typeof(KnownTransports).Assembly.GetName().Name}: import src/Shared/Transports.props");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    });

    public static KnownTransport Tcp { get; } = new("tcp", "tcp.conf", "akka.remote.dot-netty.tcp", "tcp", "127.0.0.1", null, null, () => TcpReady.Value);

    public static KnownTransport Pipe { get; } = new("pipe", "pipes.conf", "akka.remote.pipe", "pipe", "localhost",
        "akka.remote.pipe.file-prefix", Path.GetTempPath(), () => PipeConfig.Ready);

    public static KnownTransport Shm { get; } = new("shm", "shm.conf", "akka.remote.shm", "shm", "localhost",
        "akka.remote.shm.file-prefix", "/dev/shm", () => ShmConfig.Ready);

    /// <summary>TCP first: it is the reference the others are measured against.</summary>
    public static IReadOnlyList<KnownTransport> All { get; } = [Tcp, Pipe, Shm];

    /// <summary>The transport named <paramref name="name"/>, or null.</summary>
    public static KnownTransport? Find(string name) => All.FirstOrDefault(transport => string.Equals(transport.Name, name, StringComparison.OrdinalIgnoreCase));
}
