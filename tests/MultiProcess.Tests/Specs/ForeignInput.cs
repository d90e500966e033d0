using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Transport.SharedMemory.Control;

namespace XStateNet.Actors.MultiProcess.Tests.Specs;

/// <summary>
/// Bad input from outside each transport's protocol, fed to a node: garbage on its TCP port, its pipe or its
/// shared-memory control socket, and on shm also a well-formed association request that names a foreign file (random
/// bytes, no segment header) where the segment is expected. With it, what the node logs about each, in order.
/// </summary>
/// <remarks>
/// The node's files are found with the run's settings, which the test node has too (<paramref name="settings"/>:
/// its config). The shm request is encoded by the transport's own <see cref="ControlMessages"/> (visible to this
/// assembly), so it stays in step with the control protocol.
/// </remarks>
internal sealed record ForeignInput(Func<Address, Config, Task<string>> Write, IReadOnlyList<Regex> Logged)
{
    public static ForeignInput For(string transport) => transport switch
    {
        "tcp" => new(
            (node, _) => WriteGarbageToSocket(new IPEndPoint(IPAddress.Loopback, node.Port!.Value), AddressFamily.InterNetwork, ProtocolType.Tcp, "its TCP port"),
            [new(@"\[ERROR\].*Error caught channel|CorruptedFrameException")]),
        "pipe" => new(
            (node, settings) => WriteGarbageToSocket(new UnixDomainSocketEndPoint(FilePath(settings, "akka.remote.pipe", Path.GetTempPath(), node, "")),
                AddressFamily.Unix, ProtocolType.Unspecified, "its pipe"),
            [new(@"\[(ERROR|WARNING)\].*(bad input|Rejected a connection)")]),
        "shm" => new(WriteToShm,
            [
                new(@"\[(ERROR|WARNING)\].*control socket.*(garbage|refused)"),
                new(@"\[(ERROR|WARNING)\].*segment.*(wrong magic|refused)"),
            ]),
        _ => throw new ArgumentException($"no foreign input for the transport '{transport}'", nameof(transport)),
    };

    /// <summary>"&lt;directory&gt;/&lt;file-prefix&gt;-&lt;host&gt;-&lt;port&gt;&lt;suffix&gt;", the name both transports give a node's file.</summary>
    private static string FilePath(Config settings, string section, string defaultDirectory, Address node, string suffix)
    {
        var directory = settings.GetString($"{section}.directory", "");
        return Path.Combine(directory.Length > 0 ? directory : defaultDirectory,
            $"{settings.GetString($"{section}.file-prefix")}-{node.Host}-{node.Port}{suffix}");
    }

    private static async Task<string> WriteToShm(Address node, Config settings)
    {
        var control = FilePath(settings, "akka.remote.shm", "/dev/shm", node, ".sock");
        var garbage = await WriteGarbageToSocket(new UnixDomainSocketEndPoint(control), AddressFamily.Unix, ProtocolType.Unspecified, "its control socket");

        var foreign = Path.Combine(Path.GetDirectoryName(control)!, $"{settings.GetString("akka.remote.shm.file-prefix")}-{Environment.ProcessId}-0-{node.Port}-1-foreign.seg");
        var noise = new byte[64 * 1024];
        new Random(5).NextBytes(noise);
        await File.WriteAllBytesAsync(foreign, noise);
        try
        {
            // A well-formed request in the transport's own encoding; only the file it names is foreign.
            using var foreignFile = new FileStream(foreign, FileMode.Open, FileAccess.ReadWrite);
            var request = new AssociateRequest(Environment.ProcessId, (int)foreignFile.SafeFileHandle.DangerousGetHandle(), foreign,
                node.System, "Intruder", node.Host!, 1, 1 << 20);
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(control));
            await using (var stream = new NetworkStream(socket, ownsSocket: false))
            {
                await ControlMessages.WriteRequestAsync(stream, request, CancellationToken.None);
            }

            var answer = new byte[1024];
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var read = 0;
            try
            {
                read = await socket.ReceiveAsync(answer, SocketFlags.None, wait.Token);
            }
            catch (OperationCanceledException)
            {
                // no answer is an answer too; the node's log is what the spec checks
            }
            return $"{garbage}; then asked it to open the foreign file {foreign} as a segment (answer: {read} bytes)";
        }
        finally
        {
            File.Delete(foreign);
        }
    }

    /// <summary>Connects as a foreign client would, writes bytes that are no valid frame, and hangs up.</summary>
    private static async Task<string> WriteGarbageToSocket(EndPoint endpoint, AddressFamily family, ProtocolType protocol, string where)
    {
        var garbage = new byte[4096];
        new Random(6).NextBytes(garbage);
        // A first word that reads as an absurd length, then noise: what a confused or hostile client sends.
        garbage[0] = 0x7F;
        garbage[1] = 0xFF;
        garbage[2] = 0xFF;
        garbage[3] = 0xF0;
        using var socket = new Socket(family, SocketType.Stream, protocol);
        await socket.ConnectAsync(endpoint);
        await socket.SendAsync(garbage, SocketFlags.None);
        await Task.Delay(200); // let the node read it before the hang-up
        socket.Shutdown(SocketShutdown.Both);
        return $"wrote {garbage.Length} bytes of garbage to {where} ({endpoint})";
    }
}
