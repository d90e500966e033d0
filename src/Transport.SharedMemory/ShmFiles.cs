using System.Text;

namespace XStateNet.Actors.Transport.SharedMemory;

/// <summary>
/// Names of the files a node creates in <c>directory</c>: one control socket per node, one segment per association.
/// </summary>
internal sealed class ShmFiles(ShmSettings settings)
{
    private const string SegmentExtension = ".seg";
    private int _sequence;

    public string Directory { get; } = Path.GetFullPath(settings.Directory);

    /// <summary>The control socket of the node at <paramref name="host"/>:<paramref name="port"/>.</summary>
    public string SocketPath(string host, int port) =>
        Path.Combine(Directory, $"{settings.FilePrefix}-{Sanitize(host)}-{port}.sock");

    /// <summary>A fresh segment name; the creator's pid comes first so leftovers can be traced to their process.</summary>
    public string NewSegmentPath(int localPort, int remotePort) =>
        Path.Combine(Directory,
            $"{settings.FilePrefix}-{Environment.ProcessId}-{localPort}-{remotePort}-{Interlocked.Increment(ref _sequence)}-{Random.Shared.Next():x8}{SegmentExtension}");

    /// <summary>Whether a path a peer sent names one of this transport's segment files (and nothing else).</summary>
    public bool IsSegmentPath(string path)
    {
        if (string.IsNullOrEmpty(path)) return false;
        var full = Path.GetFullPath(path);
        var name = Path.GetFileName(full);
        return string.Equals(Path.GetDirectoryName(full), Directory, StringComparison.Ordinal)
            && name.StartsWith(settings.FilePrefix + "-", StringComparison.Ordinal)
            && name.EndsWith(SegmentExtension, StringComparison.Ordinal);
    }

    /// <summary>
    /// Removes segments whose processes are all gone (left behind by a crash or kill -9). Returns the files removed.
    /// </summary>
    public IReadOnlyList<string> RemoveStaleSegments()
    {
        var removed = new List<string>();
        if (!System.IO.Directory.Exists(Directory)) return removed;
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, settings.FilePrefix + "-*" + SegmentExtension))
        {
            var owners = Ring.SharedSegment.ReadOwners(path);
            var creator = owners?.Creator ?? CreatorFromName(path);
            var acceptor = owners?.Acceptor ?? 0;
            if (creator <= 0 || ProcessLiveness.IsRunning(creator) || (acceptor > 0 && ProcessLiveness.IsRunning(acceptor)))
                continue;
            if (FileRemoval.TryDelete(path)) removed.Add(path);
        }

        return removed;
    }

    /// <summary>Removes control sockets nobody listens on (their node was killed). Returns the files removed.</summary>
    public IReadOnlyList<string> RemoveStaleSockets(Func<string, bool> isLive)
    {
        var removed = new List<string>();
        if (!System.IO.Directory.Exists(Directory)) return removed;
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, settings.FilePrefix + "-*.sock"))
        {
            if (isLive(path)) continue;
            if (FileRemoval.TryDelete(path)) removed.Add(path);
        }

        return removed;
    }

    private int CreatorFromName(string path)
    {
        var rest = Path.GetFileName(path.AsSpan())[(settings.FilePrefix.Length + 1)..];
        var dash = rest.IndexOf('-');
        return dash > 0 && int.TryParse(rest[..dash], out var pid) ? pid : 0;
    }

    private static string Sanitize(string host)
    {
        var builder = new StringBuilder(host.Length);
        foreach (var c in host) builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' ? c : '_');
        return builder.ToString();
    }
}
