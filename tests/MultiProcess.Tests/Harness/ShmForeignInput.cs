using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace XStateNet.Actors.MultiProcess.Tests.Harness;

/// <summary>
/// Bad input for the shared-memory transport: garbage on a node's control socket, then a well-formed association
/// request that names a foreign file (random bytes, no segment header) where the segment is expected.
/// </summary>
/// <remarks>
/// Speaks version 1 of the transport's control protocol (src/Transport.SharedMemory/Control/ControlMessages.cs):
/// a little-endian length, then magic "XNSC", version, pid, segment path, target system, system, host, port.
/// Keep it in step with that file.
/// </remarks>
internal static class ShmForeignInput
{
    public const string Directory = "/dev/shm";

    private const int Magic = 0x43534E58;
    private const int Version = 1;

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

        var request = new List<byte>();
        AppendInt(request, Magic);
        AppendInt(request, Version);
        AppendInt(request, Environment.ProcessId);
        AppendString(request, foreign);
        AppendString(request, node.Address.System);
        AppendString(request, "Intruder");
        AppendString(request, node.Address.Host!);
        AppendInt(request, 1);
        var frame = new byte[4 + request.Count];
        BinaryPrimitives.WriteInt32LittleEndian(frame, request.Count);
        request.CopyTo(frame, 4);

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(control));
        await socket.SendAsync(frame, SocketFlags.None);
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
        File.Delete(foreign);
        return $"{garbage}; then asked it to open the foreign file {foreign} as a segment (answer: {read} bytes)";
    }

    private static void AppendInt(List<byte> body, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        foreach (var b in bytes) body.Add(b);
    }

    private static void AppendString(List<byte> body, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        AppendInt(body, bytes.Length);
        body.AddRange(bytes);
    }
}
