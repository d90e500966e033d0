using System.IO.Pipes;
using System.Net.Sockets;
using System.Reflection;
using Microsoft.Win32.SafeHandles;
using XStateNet.Actors.Transport.Pipes.Sockets;

namespace XStateNet.Actors.Transport.Pipes.Connections;

/// <summary>
/// The kernel's word (<see cref="PeerCredentials"/>, <c>SO_PEERCRED</c>) about the process on the other end of a
/// connected pipe: on Linux a .NET named pipe is a Unix domain socket.
/// </summary>
/// <remarks>
/// .NET keeps the pipe's <see cref="Socket"/> in an internal property of <see cref="SafePipeHandle"/>
/// (<c>PipeSocket</c>, on Unix); there is no public way to it. Should a future .NET drop it, <see cref="Of"/> answers
/// null and the transport falls back to what the peer declares (and says so once in the log).
/// </remarks>
internal static class PipePeerCredentials
{
    private static readonly PropertyInfo? SocketProperty =
        typeof(SafePipeHandle).GetProperty("PipeSocket", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>Whether <see cref="Of"/> can answer on this platform and runtime.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && SocketProperty?.PropertyType == typeof(Socket);

    /// <summary>The credentials of the process at the other end of <paramref name="pipe"/>, or null when they cannot be read.</summary>
    public static PeerCredentials? Of(PipeStream pipe)
    {
        if (!IsSupported) return null;
        try
        {
            return SocketProperty!.GetValue(pipe.SafePipeHandle) is Socket socket ? PeerCredentials.Of(socket) : null;
        }
        catch (Exception e) when (e is TargetInvocationException or SocketException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            // Closed or broken already: the caller treats the connection as unidentifiable.
            return null;
        }
    }
}
