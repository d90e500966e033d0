using Akka.Configuration;

namespace XStateNet.Actors.Samples.Pipeline.Transports;

/// <summary>
/// One transport as its HOCON file in <c>hocon/</c> describes it: which <c>akka.remote</c> section it enables, the
/// protocol its addresses carry (<c>akka.tcp://</c>, <c>akka.shm://</c>...), and the host name nodes bind to.
/// Nothing here is specific to one transport, so a new file is a new transport.
/// </summary>
internal sealed record TransportProfile(string Name, string FilePath, Config Config, string Section, string Protocol, string Hostname)
{
    /// <summary>The address of a node of this transport: <c>akka.tcp://Pipeline@127.0.0.1:20002</c>.</summary>
    public string Address(string systemName, int port) => $"akka.{Protocol}://{systemName}@{Hostname}:{port}";

    /// <summary>This node's host and port, on top of the transport's file.</summary>
    public Config NodeConfig(int port) =>
        ConfigurationFactory.ParseString($"{Section} {{ hostname = \"{Hostname}\", port = {port} }}").WithFallback(Config);
}
