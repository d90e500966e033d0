namespace XStateNet.Actors.Transport.Pipes.Naming;

/// <summary>
/// A file that is not ours sits where a port's socket or lock file belongs: a FIFO, a regular file, a directory, or
/// another user's socket. It is never opened, connected to or deleted; the port is skipped (port 0) or start-up fails
/// naming it (a fixed port).
/// </summary>
public sealed class PipeFileInTheWayException : IOException
{
    internal PipeFileInTheWayException(string path, PipeFileKind kind, uint? owner)
        : base($"'{path}' is {PipeFile.Describe(kind)}{(owner is { } uid && kind == PipeFileKind.Socket ? $" of user {uid}" : "")}, " +
               "not a pipe file of this user: left alone")
    {
        Path = path;
    }

    /// <summary>The file in the way.</summary>
    public string Path { get; }
}
