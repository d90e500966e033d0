using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Transports;

namespace XStateNet.Actors.Bench.CrossProcess.Machines;

/// <summary>
/// The configuration of a node of the machine rows: the transport's, on a chosen port, with the runtime's, and the
/// rows' known payload type (<see cref="BenchKnownTypes"/>; both nodes must list the same types in the same order).
/// </summary>
internal static class MachineNodes
{
    private static readonly string KnownTypes =
        $"akka.actor.serialization-settings.hyperion.known-types-provider = \"{typeof(BenchKnownTypes).AssemblyQualifiedName}\"";

    public static Config Config(TransportCase transport, string prefix, int port) =>
        ConfigurationFactory.ParseString($"{PortKey(transport)} = {port}\n{KnownTypes}")
            .WithFallback(TransportCatalog.Common)
            .WithFallback(transport.NodeConfig(prefix))
            .WithFallback(XStateNetConfig.Default);

    /// <summary>The transports the machine rows run on.</summary>
    public static bool Supports(TransportCase transport) => KnownTransports.Find(transport.Name) is not null;

    /// <summary>Where the server will listen: the same scheme and host as any node of the transport, on that port.</summary>
    public static Address ServerAddress(TransportCase transport, string prefix, int port)
    {
        var hostname = Config(transport, prefix, port).GetString(Known(transport).Section + ".hostname");
        return new Address("akka." + Known(transport).Scheme, MachineEchoServer.SystemName, hostname, port);
    }

    private static string PortKey(TransportCase transport) => Known(transport).Section + ".port";

    private static KnownTransport Known(TransportCase transport) =>
        KnownTransports.Find(transport.Name) ?? throw new ArgumentException($"The machine rows do not run on '{transport.Name}'.");

    /// <summary>
    /// A port for the server, chosen before it starts so that the client's routes can name it. TCP: one the kernel
    /// hands out now. Pipes and shm: their names carry this run's unique prefix, so any port in range is free.
    /// </summary>
    public static int FreePort(TransportCase transport)
    {
        if (Known(transport).FilePrefixKey is not null) return Random.Shared.Next(30_000, 60_000);
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
