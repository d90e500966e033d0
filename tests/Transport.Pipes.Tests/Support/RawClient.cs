using System.Net.Sockets;

namespace XStateNet.Actors.Transport.Pipes.Tests.Support;

/// <summary>A bare Unix socket client of a node's pipe: what a stranger or a port scanner does.</summary>
internal static class RawClient
{
    public static Socket Connect(string socketPath)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads until the node closes or <paramref name="within"/> passes; the bytes read, and whether it closed.</summary>
    public static async Task<(int Bytes, bool Closed)> DrainAsync(Socket socket, TimeSpan within)
    {
        var buffer = new byte[4096];
        var total = 0;
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (read == 0) return (total, true);
                total += read;
            }
        }
        catch (OperationCanceledException)
        {
            return (total, false);
        }
        catch (SocketException)
        {
            return (total, true);
        }
    }
}
