using System.Buffers.Binary;
using System.Text;

namespace XStateNet.Actors.Transport.SharedMemory.Control;

/// <summary>The connecting side's request: "open this segment; I am this node".</summary>
internal sealed record AssociateRequest(int Pid, string SegmentPath, string TargetSystem, string System, string Host, int Port);

/// <summary>The listener's answer: accepted, or refused with a reason.</summary>
internal sealed record AssociateReply(bool Accepted, string Message);

/// <summary>
/// The control channel's two messages, each a length-prefixed frame. Only association set-up travels here; every
/// payload byte goes through the segment's rings.
/// </summary>
internal static class ControlMessages
{
    private const uint Magic = 0x43534E58; // "XNSC"
    private const int Version = 1;
    private const int MaxFrame = 16 * 1024;

    public static async Task WriteRequestAsync(Stream stream, AssociateRequest request, CancellationToken cancellation)
    {
        var body = new List<byte>(256);
        AppendInt(body, (int)Magic);
        AppendInt(body, Version);
        AppendInt(body, request.Pid);
        AppendString(body, request.SegmentPath);
        AppendString(body, request.TargetSystem);
        AppendString(body, request.System);
        AppendString(body, request.Host);
        AppendInt(body, request.Port);
        await WriteFrameAsync(stream, body, cancellation).ConfigureAwait(false);
    }

    /// <summary>Reads a request; null when the peer closed before sending anything (a liveness probe).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a request of this protocol.</exception>
    public static async Task<AssociateRequest?> ReadRequestAsync(Stream stream, CancellationToken cancellation)
    {
        var frame = await ReadFrameAsync(stream, cancellation).ConfigureAwait(false);
        if (frame is null) return null;
        var reader = new FrameReader(frame);
        if ((uint)reader.Int() != Magic) throw new InvalidDataException("not an XStateNet shared-memory control request (wrong magic)");
        var version = reader.Int();
        if (version != Version) throw new InvalidDataException($"control protocol version {version}, this node speaks {Version}");
        return new AssociateRequest(reader.Int(), reader.String(), reader.String(), reader.String(), reader.String(), reader.Int());
    }

    public static async Task WriteReplyAsync(Stream stream, AssociateReply reply, CancellationToken cancellation)
    {
        var body = new List<byte>(64);
        AppendInt(body, reply.Accepted ? 1 : 0);
        AppendString(body, reply.Message);
        await WriteFrameAsync(stream, body, cancellation).ConfigureAwait(false);
    }

    /// <exception cref="InvalidDataException">The listener answered with something else, or closed first.</exception>
    public static async Task<AssociateReply> ReadReplyAsync(Stream stream, CancellationToken cancellation)
    {
        var frame = await ReadFrameAsync(stream, cancellation).ConfigureAwait(false)
            ?? throw new InvalidDataException("the listener closed the control connection without answering");
        var reader = new FrameReader(frame);
        return new AssociateReply(reader.Int() == 1, reader.String());
    }

    private static async Task WriteFrameAsync(Stream stream, List<byte> body, CancellationToken cancellation)
    {
        var frame = new byte[4 + body.Count];
        BinaryPrimitives.WriteInt32LittleEndian(frame, body.Count);
        body.CopyTo(frame, 4);
        await stream.WriteAsync(frame, cancellation).ConfigureAwait(false);
        await stream.FlushAsync(cancellation).ConfigureAwait(false);
    }

    private static async Task<byte[]?> ReadFrameAsync(Stream stream, CancellationToken cancellation)
    {
        var prefix = new byte[4];
        var read = await stream.ReadAtLeastAsync(prefix, 4, throwOnEndOfStream: false, cancellation).ConfigureAwait(false);
        if (read == 0) return null;
        if (read < 4) throw new InvalidDataException("the control frame's length was cut short");
        var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        if (length is < 0 or > MaxFrame) throw new InvalidDataException($"control frame length {length} is outside 0..{MaxFrame}");
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, cancellation).ConfigureAwait(false);
        return body;
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

    private sealed class FrameReader(byte[] frame)
    {
        private int _offset;

        public int Int()
        {
            if (_offset + 4 > frame.Length) throw new InvalidDataException("control frame ends early");
            var value = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(_offset));
            _offset += 4;
            return value;
        }

        public string String()
        {
            var length = Int();
            if (length < 0 || _offset + length > frame.Length) throw new InvalidDataException($"control frame string of {length} bytes does not fit");
            var value = Encoding.UTF8.GetString(frame, _offset, length);
            _offset += length;
            return value;
        }
    }
}
