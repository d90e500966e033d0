using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace XStateNet.Actors.Transport;

/// <summary>
/// Who is on the other end of a connected Unix domain socket, in the kernel's words (<c>SO_PEERCRED</c>): the
/// process id, user id and group id of the process that connected (or listened), as they were at that moment.
/// </summary>
/// <remarks>
/// A peer can write any process id into a hello; it cannot lie to the kernel. Trust decisions (whose death to
/// report, whom to accept) use these values, never the declared ones.
/// </remarks>
internal readonly record struct PeerCredentials(int ProcessId, uint UserId, uint GroupId)
{
    private const int SolSocket = 1;   // SOL_SOCKET on Linux
    private const int SoPeerCred = 17; // SO_PEERCRED on Linux

    /// <summary>The credentials of <paramref name="socket"/>'s peer, or null where the platform cannot say.</summary>
    /// <exception cref="SocketException">The socket is not connected.</exception>
    public static PeerCredentials? Of(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (!OperatingSystem.IsLinux() || socket.AddressFamily != AddressFamily.Unix) return null;
        Span<byte> ucred = stackalloc byte[12]; // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        var length = socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
        if (length < 12) return null;
        return new PeerCredentials(
            MemoryMarshal.Read<int>(ucred),
            MemoryMarshal.Read<uint>(ucred[4..]),
            MemoryMarshal.Read<uint>(ucred[8..]));
    }

    /// <summary>This process's real user id.</summary>
    public static uint CurrentUserId => OperatingSystem.IsLinux() ? getuid() : 0;

    [DllImport("libc", EntryPoint = "getuid")]
    private static extern uint getuid();
}
