using Akka.Configuration;
using XStateNet.Actors.Transports;

namespace XStateNet.Actors.TestKit.Transports;

/// <summary>
/// The transports a spec runs over, by the names <see cref="MultiNodeTransports"/> gives the theories: the
/// repository's catalogue (<see cref="KnownTransports"/>), plus what a spec run needs on top (ports planned ahead,
/// the run's own file names and host directory, the files to remove afterwards).
/// </summary>
internal static class TransportCatalogue
{
    /// <summary>The fast path's ready configuration, looked up by name: see <see cref="SameHost"/>.</summary>
    private const string SameHostConfigType = "XStateNet.Actors.Transport.SameHost.SameHostConfig, XStateNet.Actors.Transport.SameHost";

    /// <summary>
    /// Akka's TCP with the same-host fast path (<c>hocon/same-host.conf</c> on top of <c>hocon/tcp.conf</c>, as a user
    /// adds it to a TCP node): akka.tcp addresses at real ports, the shm ring underneath, control sockets named with
    /// the run's prefix. Not one of <see cref="Names"/>: a spec opts in by name (<c>UseTransport("same-host")</c>), so
    /// the whole suite does not run a fourth time. The TestKit does not depend on the fast path's package (it brings
    /// Akka.Cluster): a test project that runs specs over it references <c>XStateNet.Actors.Transport.SameHost</c>.
    /// </summary>
    public static KnownTransport SameHost { get; } = new("same-host", "same-host.conf", KnownTransports.Tcp.Section, KnownTransports.Tcp.Scheme,
        KnownTransports.Tcp.Hostname, "akka.remote.same-host.file-prefix", "/dev/shm",
        () => SameHostReady().WithFallback(KnownTransports.Tcp.Ready()));

    /// <exception cref="InvalidOperationException">The test project does not reference the fast path's package.</exception>
    private static Config SameHostReady() =>
        Type.GetType(SameHostConfigType, throwOnError: false)?.GetProperty("Ready")?.GetValue(null) as Config
        ?? throw new InvalidOperationException(
            "the transport 'same-host' needs the package XStateNet.Actors.Transport.SameHost: reference it from the test project");

    private static readonly Dictionary<string, NodeTransport> All = KnownTransports.All.Append(SameHost)
        .Select(known => new NodeTransport
        {
            Known = known,
            // Pipes and shm ports are only names: unique within the run's prefix. TCP's (same-host's too) are real ports.
            AllocatePort = known.FilePrefixKey is null || known.Scheme == KnownTransports.Tcp.Scheme
                ? _ => NodeTransport.FreeTcpPort()
                : run => run.NextNamePort(),
            RunSettings = run => RunSettings(known, run),
            FilesOfRun = run => FilesOfRun(known, run),
        })
        .ToDictionary(transport => transport.Name, StringComparer.Ordinal);

    /// <summary>The names of the transports every multi-node theory runs over (<see cref="MultiNodeTransports.All"/>).</summary>
    public static IReadOnlyCollection<string> Names { get; } = [.. KnownTransports.All.Select(known => known.Name)];

    /// <summary>The transport named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No transport has that name; the message lists the known ones (<c>same-host</c> too).</exception>
    public static NodeTransport Get(string name) =>
        All.TryGetValue(name, out var transport)
            ? transport
            : throw new ArgumentException($"no transport named '{name}' (known: {string.Join(", ", All.Keys)})", nameof(name));

    /// <summary>The run's file prefix and its own host directory (beside its files), for transports that have files.</summary>
    private static IReadOnlyList<string> RunSettings(KnownTransport known, RunNames run) =>
        known.FilePrefixKey is null
            ? []
            :
            [
                $"{known.FilePrefixKey} = \"{run.Prefix.TrimEnd('-')}\"",
                $"{TransportKeys.HostDirectoryPath} = \"{Path.Combine(known.FileDirectory!, run.Prefix + "directory")}\"",
            ];

    /// <summary>
    /// Pipes: "&lt;temp&gt;/&lt;prefix&gt;-&lt;host&gt;-&lt;port&gt;" and "&lt;...&gt;.lock" (.NET's own pipes would be CoreFxPipe_&lt;name&gt;);
    /// shm and same-host: control sockets "&lt;dir&gt;/&lt;prefix&gt;-&lt;host&gt;-&lt;port&gt;.sock" (segments are memfds); all: the run's directory.
    /// </summary>
    private static IReadOnlyList<string> FilesOfRun(KnownTransport known, RunNames run) =>
        known.FileDirectory is null ? [] : RunFiles.EntriesStartingWith(known.FileDirectory, run.Prefix, "CoreFxPipe_" + run.Prefix);
}
