using System.Net.Sockets;
using XStateNet.Actors.Transport.SharedMemory.Control;

namespace XStateNet.Actors.MultiProcess.Tests.Harness;

/// <summary>
/// Bad input for the shared-memory transport: garbage on a node's control socket, then a well-formed association
/// request that names a foreign file (random bytes, no segment header) where the segment is expected: the request
/// gives the descriptor number of that file, open in this process, as a connecting node gives its segment's memfd.
/// </summary>
/// <remarks>
/// The request is encoded by the transport's own <see cref="ControlMessages"/> (visible to this assembly), so it
/// stays in step with the control protocol.
/// </remarks>
internal static class ShmForeignInput
{
    public const string Directory = "/dev/shm";

    public static async Task<string> Write(ChildNode node, RunId run)
    {
        var filePrefix = run.Prefix.TrimEnd('-');
        var control = Path.Combine(Directory, $"{filePrefix}-{node.Address.Host}-{node.Address.Port}.sock");
        var garbage = await TransportCatalogue.WriteGarbageToSocket(
            new UnixDomainSocketEndPoint(control), AddressFamily.Unix, ProtocolType.Unspecified, "its control socket");

        var foreign = Path.Combine(Directory, $"{filePrefix}-{Environment.ProcessId}-0-{node.Address.Port}-1-foreign.seg");
        var noise = new byte[64 * 1024];
        new Random(5).NextBytes(noise);
        await File.WriteAllBytesAsync(foreign, noise);

        // A well-formed request in the transport's own encoding; only the file it names is foreign.
        using var foreignFile = new FileStream(foreign, FileMode.Open, FileAccess.ReadWrite);
        var request = new AssociateRequest(Environment.ProcessId, (int)foreignFile.SafeFileHandle.DangerousGetHandle(), foreign,
            node.Address.System, "Intruder", node.Address.Host!, 1, 1 << 20);
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
        foreignFile.Dispose();
        File.Delete(foreign);
        return $"{garbage}; then asked it to open the foreign file {foreign} as a segment (answer: {read} bytes)";
    }
}
