using System.Text;

namespace XStateNet.Actors.Transport.Pipes.Naming;

/// <summary>
/// Where the listener for <c>pipe://system@host:port</c> lives. Pipes have no ports: the pipe's name is derived
/// from host and port, so the address alone tells a client where to connect (the system name is not part of it:
/// like a TCP port, a pipe port belongs to one system per host).
/// </summary>
/// <remarks>
/// On Linux and macOS .NET's named pipes are Unix domain sockets; the name given here is an absolute path
/// (<c>{directory}/{file-prefix}-{host}-{port}</c>, by default under the temporary directory), which
/// .NET uses as is. Next to it, <see cref="LockPath"/> is the file whose lock reserves the port (see
/// <see cref="PortReservation"/>). On Windows the name is the pipe name itself and the lock file lives in the directory.
/// </remarks>
internal sealed record PipeEndpoint(string PipeName, string? SocketPath, string LockPath)
{
    public static PipeEndpoint For(string directory, string prefix, string host, int port)
    {
        var dir = string.IsNullOrEmpty(directory) ? Path.GetTempPath() : directory;
        var name = prefix + "-" + Sanitize(host) + "-" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var rooted = Path.GetFullPath(Path.Combine(dir, name));
        return OperatingSystem.IsWindows()
            ? new PipeEndpoint(name, null, rooted + ".lock")
            : new PipeEndpoint(rooted, rooted, rooted + ".lock");
    }

    /// <summary>Host names become file names: keep letters, digits, '.', '-', '_'; anything else becomes '_'.</summary>
    private static string Sanitize(string host)
    {
        var builder = new StringBuilder(host.Length);
        foreach (var c in host.ToLowerInvariant())
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        return builder.ToString();
    }
}
