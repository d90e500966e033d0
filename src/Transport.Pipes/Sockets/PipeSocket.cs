using System.Runtime.InteropServices;

namespace XStateNet.Actors.Transport.Pipes.Sockets;

/// <summary>
/// Direct system calls on a pipe's socket: on Linux a .NET named pipe is a Unix domain socket, and its
/// <see cref="SafeHandle"/> is the socket's descriptor.
/// </summary>
/// <remarks>
/// Why not the stream's own reads: once .NET has used a socket asynchronously it is non-blocking, and a "blocking"
/// read waits for .NET's I/O poller thread to signal it, so every message wakes two threads instead of one. Waiting
/// in <c>poll</c> here lets the kernel wake the reader directly, and <c>recv</c> without waiting lets the thread pool
/// look for a message without blocking.
/// </remarks>
internal static unsafe partial class PipeSocket
{
    private const int DontWait = 0x40;
    private const int WouldBlock = 11;
    private const int Interrupted = 4;
    private const short PollIn = 0x1;

    /// <summary>Whether this platform has these calls (Linux).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>Bytes read into <paramref name="into"/>; 0 when none are ready; -1 when the peer has closed its side.</summary>
    /// <exception cref="IOException">The socket failed (reset, closed under us).</exception>
    /// <exception cref="ObjectDisposedException">The handle was closed.</exception>
    public static int Receive(SafeHandle socket, Span<byte> into)
    {
        while (true)
        {
            nint read;
            fixed (byte* buffer = into) read = Recv(socket, buffer, into.Length, DontWait);
            if (read > 0) return (int)read;
            if (read == 0) return into.IsEmpty ? 0 : -1;
            var error = Marshal.GetLastPInvokeError();
            if (error == WouldBlock) return 0;
            if (error != Interrupted) throw Failure("recv", error);
        }
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMs"/> for bytes (or the end of the stream) to be readable; false when the
    /// time ran out first.
    /// </summary>
    public static bool WaitReadable(SafeHandle socket, int timeoutMs)
    {
        var added = false;
        try
        {
            socket.DangerousAddRef(ref added);
            var entry = new PollEntry { Descriptor = (int)socket.DangerousGetHandle(), Events = PollIn };
            // Which events (data, hang-up, error) does not matter: the next recv reads the data, the end or the error.
            var ready = Poll(&entry, 1, timeoutMs);
            if (ready < 0 && Marshal.GetLastPInvokeError() is var error and not Interrupted) throw Failure("poll", error);
            return ready > 0;
        }
        finally
        {
            if (added) socket.DangerousRelease();
        }
    }

    private static IOException Failure(string call, int error) =>
        new($"{call} on the pipe failed: {Marshal.GetPInvokeErrorMessage(error)} (errno {error})");

    [StructLayout(LayoutKind.Sequential)]
    private struct PollEntry
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint Recv(SafeHandle socket, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(PollEntry* entries, nuint count, int timeoutMs);
}
