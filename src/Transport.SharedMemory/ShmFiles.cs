using System.Text;

namespace XStateNet.Actors.Transport.SharedMemory;

/// <summary>
/// Names of what a node creates: one control socket per node in <c>directory</c>, one memfd segment per association
/// (named, not in any directory).
/// </summary>
internal sealed class ShmFiles(ShmSettings settings)
{
    private int _sequence;

    public string Directory { get; } = Path.GetFullPath(settings.Directory);

    /// <summary>The control socket of the node at <paramref name="host"/>:<paramref name="port"/>.</summary>
    public string SocketPath(string host, int port) =>
        Path.Combine(Directory, $"{settings.FilePrefix}-{Sanitize(host)}-{port}.sock");

    /// <summary>A fresh segment name (what <c>/proc/&lt;pid&gt;/maps</c> shows after <c>/memfd:</c>).</summary>
    public string NewSegmentName(int localPort, int remotePort) =>
        $"{settings.FilePrefix}-{localPort}-{remotePort}-{Interlocked.Increment(ref _sequence)}";

    /// <summary>
    /// Why <paramref name="path"/> cannot be one of this user's control sockets (a FIFO, a regular file, another user's
    /// socket), or null when it is a socket of ours. Only looks at the file: never opens it.
    /// </summary>
    public static string? NotOurSocket(string path)
    {
        if (UnixFileStatus.Of(path) is not { } status) return OperatingSystem.IsLinux() ? "it cannot be looked at" : null;
        if (status.Type != UnixFileStatus.Socket) return $"it is a {UnixFileStatus.Describe(status.Type)}, not a socket";
        if (status.Owner != PeerCredentials.CurrentUserId) return $"it belongs to uid {status.Owner}, not this node's uid {PeerCredentials.CurrentUserId}";
        return null;
    }

    /// <summary>
    /// Removes this user's control sockets nobody listens on (their node was killed). Anything else named like one
    /// (a FIFO, another user's socket) is left alone and never opened. Returns the files removed.
    /// </summary>
    public IReadOnlyList<string> RemoveStaleSockets(Func<string, bool> isLive)
    {
        var removed = new List<string>();
        if (!System.IO.Directory.Exists(Directory)) return removed;
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, settings.FilePrefix + "-*.sock"))
        {
            if (NotOurSocket(path) is not null || isLive(path)) continue;
            if (FileRemoval.TryDelete(path)) removed.Add(path);
        }

        return removed;
    }

    private static string Sanitize(string host)
    {
        var builder = new StringBuilder(host.Length);
        foreach (var c in host) builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' ? c : '_');
        return builder.ToString();
    }
}
