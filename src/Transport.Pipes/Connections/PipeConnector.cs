using System.Diagnostics;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace XStateNet.Actors.Transport.Pipes.Connections;

/// <summary>
/// Connects to a peer's pipe within a time limit, whatever the listener does.
/// </summary>
/// <remarks>
/// .NET's <see cref="NamedPipeClientStream"/> connects with a blocking <c>connect</c> and looks at its timeout only
/// between attempts: a listener that never accepts (its backlog full: a hung process, or a stranger's socket under
/// our name) blocks it, and a thread with it, for good. On Linux the socket is made here instead, non-blocking:
/// a full backlog answers "try again" at once, and the attempt is repeated until the timeout. The connected socket
/// is then handed to a <see cref="NamedPipeClientStream"/>, which is what the rest of the transport reads and writes.
/// </remarks>
internal static partial class PipeConnector
{
    private const int AfUnix = 1;
    private const int SockStream = 1;
    private const int SockNonBlock = 0x800;
    private const int SockCloExec = 0x80000;
    private const int TryAgain = 11;
    private const int Interrupted = 4;
    private const int Refused = 111;
    private const int NoEntry = 2;
    private const int SunPathLength = 108;
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(20);

    /// <summary>A connected client stream to <paramref name="socketPath"/>.</summary>
    /// <exception cref="TimeoutException">The listener did not accept within <paramref name="timeout"/>.</exception>
    /// <exception cref="IOException">There is no listener, or connecting failed otherwise.</exception>
    public static async Task<NamedPipeClientStream> ConnectAsync(string pipeName, string? socketPath, PipeOptions options,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux() || socketPath is null)
        {
            var client = new NamedPipeClientStream(".", pipeName, PipeDirection.InOut, options);
            try
            {
                await client.ConnectAsync((int)timeout.TotalMilliseconds, cancellationToken).ConfigureAwait(false);
                return client;
            }
            catch
            {
                await client.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        var path = Encoding.UTF8.GetBytes(socketPath);
        if (path.Length >= SunPathLength)
            throw new IOException($"The pipe path '{socketPath}' is longer than a Unix socket path may be ({SunPathLength - 1} bytes).");

        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var error = TryConnect(path, out var handle);
            if (handle is not null)
                return new NamedPipeClientStream(PipeDirection.InOut, isAsync: true, isConnected: true, handle);
            if (error is not (TryAgain or Refused or Interrupted))
            {
                throw new IOException(error == NoEntry
                    ? $"No pipe listener at '{socketPath}'."
                    : $"Connecting to '{socketPath}' failed: {Marshal.GetPInvokeErrorMessage(error)} (errno {error})");
            }

            if (Stopwatch.GetTimestamp() >= deadline)
            {
                throw new TimeoutException(error == Refused
                    ? $"nothing accepted at '{socketPath}' within {timeout.TotalMilliseconds:0} ms (connection refused: a socket left by a dead process?)"
                    : $"the listener at '{socketPath}' accepted nothing within {timeout.TotalMilliseconds:0} ms (its backlog is full: is its process hung or stopped?)");
            }

            await Task.Delay(RetryPause, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One non-blocking attempt: the connected handle, or null and the error number.</summary>
    private static unsafe int TryConnect(byte[] path, out SafePipeHandle? handle)
    {
        handle = null;
        var fd = Socket(AfUnix, SockStream | SockNonBlock | SockCloExec, 0);
        if (fd < 0) return Marshal.GetLastPInvokeError();

        var address = stackalloc byte[2 + SunPathLength];
        new Span<byte>(address, 2 + SunPathLength).Clear();
        *(ushort*)address = AfUnix;
        path.CopyTo(new Span<byte>(address + 2, SunPathLength));
        if (Connect(fd, address, 2 + path.Length + 1) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            Close(fd);
            return error;
        }

        handle = new SafePipeHandle(fd, ownsHandle: true);
        return 0;
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    private static unsafe partial int Connect(int fd, byte* address, int length);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
