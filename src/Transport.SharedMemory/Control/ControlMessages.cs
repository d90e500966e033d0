using System.Buffers.Binary;
using System.Text;

namespace XStateNet.Actors.Transport.SharedMemory.Control;

/// <summary>
/// The connecting side's request: "open my descriptor <paramref name="SegmentDescriptor"/>, that is the segment; I am
/// this node, and I accept payloads up to <paramref name="MaximumFrameSize"/> bytes".
/// </summary>
/// <param name="Pid">The process id the peer declares: for logs only, the kernel's word (SO_PEERCRED) is what counts.</param>
/// <param name="SegmentDescriptor">The connecting process's descriptor of the segment's memfd.</param>
/// <param name="SegmentName">The segment's name, for logs.</param>
/// <param name="TargetSystem">The actor system the peer wants to reach.</param>
/// <param name="System">The peer's own actor system.</param>
/// <param name="Host">The peer's host name.</param>
/// <param name="Port">The peer's port.</param>
/// <param name="MaximumFrameSize">The peer's <c>maximum-frame-size</c>.</param>
internal sealed record AssociateRequest(
    int Pid, int SegmentDescriptor, string SegmentName, string TargetSystem, string System, string Host, int Port, long MaximumFrameSize);

/// <summary>The listener's answer: accepted (with its own <c>maximum-frame-size</c>), or refused with a reason.</summary>
internal sealed record AssociateReply(bool Accepted, string Message, long MaximumFrameSize = 0);

/// <summary>
/// The control channel's two messages, each a length-prefixed frame. Only association set-up travels here; every
/// payload byte goes through the segment's rings.
/// </summary>
internal static class ControlMessages
{
    private const uint Magic = 0x43534E58; // "XNSC"
    // 2: the segment is a sealed memfd named by the connecting process's descriptor number; both sides announce
    // their maximum-frame-size.
    private const int Version = 2;
    private const int MaxFrame = 16 * 1024;

    public static async Task WriteRequestAsync(Stream stream, AssociateRequest request, CancellationToken cancellation)
    {
        var body = new List<byte>(256);
        AppendInt(body, (int)Magic);
        AppendInt(body, Version);
        AppendInt(body, request.Pid);
        AppendInt(body, request.SegmentDescriptor);
        AppendString(body, request.SegmentName);
        AppendString(body, request.TargetSystem);
        AppendString(body, request.System);
        AppendString(body, request.Host);
        AppendInt(body, request.Port);
        AppendLong(body, request.MaximumFrameSize);
        await WriteFrameAsync(stream, body, cancellation).ConfigureAwait(false);
    }

    /// <summary>Reads a request; null when the peer closed before sending anything (a liveness probe).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a request of this protocol.</exception>
    public static async Task<AssociateRequest?> ReadRequestAsync(Stream stream, CancellationToken cancellation)
    {
        var frame = await ReadFrameAsync(stream, cancellation).ConfigureAwait(false);
        return frame is null ? null : ParseRequest(frame);
    }

    /// <summary>Decodes a request frame's body. Never throws anything but <see cref="InvalidDataException"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a request of this protocol.</exception>
    public static AssociateRequest ParseRequest(byte[] frame)
    {
        var reader = new FrameReader(frame);
        if ((uint)reader.Int() != Magic) throw new InvalidDataException("not an XStateNet shared-memory control request (wrong magic)");
        var version = reader.Int();
        if (version != Version) throw new InvalidDataException($"control protocol version {version}, this node speaks {Version}");
        return new AssociateRequest(reader.Int(), reader.Int(), reader.String(), reader.String(), reader.String(), reader.String(),
            reader.Int(), reader.Long());
    }

    public static async Task WriteReplyAsync(Stream stream, AssociateReply reply, CancellationToken cancellation)
    {
        var body = new List<byte>(64);
        AppendInt(body, reply.Accepted ? 1 : 0);
        AppendString(body, reply.Message);
        AppendLong(body, reply.MaximumFrameSize);
        await WriteFrameAsync(stream, body, cancellation).ConfigureAwait(false);
    }

    /// <exception cref="InvalidDataException">The listener answered with something else, or closed first.</exception>
    public static async Task<AssociateReply> ReadReplyAsync(Stream stream, CancellationToken cancellation)
    {
        var frame = await ReadFrameAsync(stream, cancellation).ConfigureAwait(false)
            ?? throw new InvalidDataException("the listener closed the control connection without answering");
        var reader = new FrameReader(frame);
        var accepted = reader.Int() == 1;
        var message = reader.String();
        // A refusal from a node of an older protocol version ends after its message.
        return new AssociateReply(accepted, message, accepted || reader.Remaining >= 8 ? reader.Long() : 0);
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
        var got = await stream.ReadAtLeastAsync(body, length, throwOnEndOfStream: false, cancellation).ConfigureAwait(false);
        if (got < length) throw new InvalidDataException($"the control frame ends after {got} of its {length} bytes");
        return body;
    }

    private static void AppendInt(List<byte> body, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        foreach (var b in bytes) body.Add(b);
    }

    private static void AppendLong(List<byte> body, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
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

        public int Remaining => frame.Length - _offset;

        public long Long()
        {
            if (Remaining < 8) throw new InvalidDataException("control frame ends early");
            var value = BinaryPrimitives.ReadInt64LittleEndian(frame.AsSpan(_offset));
            _offset += 8;
            return value;
        }

        public int Int()
        {
            if (Remaining < 4) throw new InvalidDataException("control frame ends early");
            var value = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(_offset));
            _offset += 4;
            return value;
        }

        public string String()
        {
            var length = Int();
            // Compared with what is left, never as _offset + length: a length near int.MaxValue would overflow.
            if (length < 0 || length > Remaining)
                throw new InvalidDataException($"control frame string of {length} bytes does not fit the {Remaining} bytes left");
            var value = Encoding.UTF8.GetString(frame, _offset, length);
            _offset += length;
            return value;
        }
    }
}
