using XStateNet.Actors.Transports;

namespace XStateNet.Actors.TestKit.Transports;

/// <summary>
/// The transports a spec runs over, by the names <see cref="MultiNodeTransports"/> gives the theories: the
/// repository's catalogue (<see cref="KnownTransports"/>), plus what a spec run needs on top (ports planned ahead,
/// the run's own file names and host directory, the files to remove afterwards).
/// </summary>
internal static class TransportCatalogue
{
    private static readonly Dictionary<string, NodeTransport> All = KnownTransports.All
        .Select(known => new NodeTransport
        {
            Known = known,
            // Pipes and shm ports are only names: unique within the run's prefix. TCP's are real ports.
            AllocatePort = known.FilePrefixKey is null ? _ => NodeTransport.FreeTcpPort() : run => run.NextNamePort(),
            RunSettings = run => RunSettings(known, run),
            FilesOfRun = run => FilesOfRun(known, run),
        })
        .ToDictionary(transport => transport.Name, StringComparer.Ordinal);

    /// <summary>The names of every transport.</summary>
    public static IReadOnlyCollection<string> Names => All.Keys;

    /// <summary>The transport named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No transport has that name; the message lists the known ones.</exception>
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
    /// shm: control sockets "&lt;dir&gt;/&lt;prefix&gt;-&lt;host&gt;-&lt;port&gt;.sock" (segments are memfds); both: the run's directory.
    /// </summary>
    private static IReadOnlyList<string> FilesOfRun(KnownTransport known, RunNames run) =>
        known.FileDirectory is null ? [] : RunFiles.EntriesStartingWith(known.FileDirectory, run.Prefix, "CoreFxPipe_" + run.Prefix);
}
