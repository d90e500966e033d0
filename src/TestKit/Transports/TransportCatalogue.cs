using Akka.Configuration;
using XStateNet.Actors.Transport;
using XStateNet.Actors.Transport.Pipes;
using XStateNet.Actors.Transport.SharedMemory;

namespace XStateNet.Actors.TestKit.Transports;

/// <summary>The transports a spec runs over, by the names <see cref="MultiNodeTransports"/> gives the theories.</summary>
internal static class TransportCatalogue
{
    private static readonly Lazy<Config> TcpReady = new(() =>
        EmbeddedHocon.Load(typeof(TransportCatalogue).Assembly, "XStateNet.Actors.TestKit.tcp.conf"));

    private static readonly Dictionary<string, NodeTransport> All = new[]
    {
        new NodeTransport
        {
            Name = "tcp",
            ReadyConfig = () => TcpReady.Value,
            Section = "akka.remote.dot-netty.tcp",
            Scheme = "tcp",
            Hostname = "127.0.0.1",
            AllocatePort = _ => NodeTransport.FreeTcpPort(),
        },
        new NodeTransport
        {
            Name = "pipe",
            ReadyConfig = () => PipeConfig.Ready,
            Section = "akka.remote.pipe",
            Scheme = "pipe",
            Hostname = "localhost",
            AllocatePort = run => run.NextNamePort(),
            RunSettings = run =>
            [
                $"{TransportKeys.PipeNamePrefix} = \"{run.Prefix.TrimEnd('-')}\"",
                $"{TransportKeys.HostDirectoryPath} = \"{Path.Combine(Path.GetTempPath(), run.Prefix + "directory")}\"",
            ],
            // "<temp>/<prefix><host>-<port>" with "<...>.lock" beside it; .NET's own pipes would be CoreFxPipe_<name>.
            FilesOfRun = run => RunFiles.EntriesStartingWith(Path.GetTempPath(), run.Prefix, "CoreFxPipe_" + run.Prefix),
        },
        new NodeTransport
        {
            Name = "shm",
            ReadyConfig = () => ShmConfig.Ready,
            Section = "akka.remote.shm",
            Scheme = "shm",
            Hostname = "localhost",
            AllocatePort = run => run.NextNamePort(),
            // Control sockets "<dir>/<prefix>-<host>-<port>.sock"; segments are memfds and leave no file.
            RunSettings = run =>
            [
                $"{TransportKeys.ShmFilePrefix} = \"{run.Prefix.TrimEnd('-')}\"",
                $"{TransportKeys.HostDirectoryPath} = \"{Path.Combine(TransportKeys.ShmDefaultDirectory, run.Prefix + "directory")}\"",
            ],
            FilesOfRun = run => RunFiles.EntriesStartingWith(TransportKeys.ShmDefaultDirectory, run.Prefix),
        },
    }.ToDictionary(transport => transport.Name, StringComparer.Ordinal);

    /// <summary>The names of every transport.</summary>
    public static IReadOnlyCollection<string> Names => All.Keys;

    /// <summary>The transport named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No transport has that name; the message lists the known ones.</exception>
    public static NodeTransport Get(string name) =>
        All.TryGetValue(name, out var transport)
            ? transport
            : throw new ArgumentException($"no transport named '{name}' (known: {string.Join(", ", All.Keys)})", nameof(name));
}
