using System.Buffers.Binary;

namespace XStateNet.Actors.Transport.Pipes.Framing;

/// <summary>
/// Every frame is <c>[int32 little-endian payload length][byte kind][payload]</c>. The length counts the payload
/// only, so an empty goodbye frame is five bytes.
/// </summary>
internal static class FrameHeader
{
    /// <summary>Bytes before the payload.</summary>
    public const int Size = 5;

    /// <summary>Largest payload a control frame (hello, goodbye) may have: they are tiny, so garbage is caught early.</summary>
    public const int MaxControlPayload = 1024;

    public static void Write(Span<byte> destination, FrameKind kind, int payloadLength)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, payloadLength);
        destination[4] = (byte)kind;
    }

    /// <summary>
    /// Reads and checks a header. Throws <see cref="FrameFormatException"/> for a negative length, an unknown kind,
    /// or a length above what the kind allows, before anything is allocated for the payload.
    /// </summary>
    public static (FrameKind Kind, int Length) Read(ReadOnlySpan<byte> source, int maximumPayload)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(source);
        var kind = (FrameKind)source[4];
        if (length < 0)
            throw new FrameFormatException($"negative frame length {length}");
        switch (kind)
        {
            case FrameKind.Payload:
                if (length > maximumPayload)
                    throw new FrameFormatException(
                        $"frame of {length} bytes exceeds maximum-frame-size ({maximumPayload} bytes)");
                break;
            case FrameKind.Hello:
            case FrameKind.Goodbye:
                if (length > MaxControlPayload)
                    throw new FrameFormatException($"{kind} frame of {length} bytes exceeds {MaxControlPayload} bytes");
                break;
            default:
                throw new FrameFormatException($"unknown frame kind 0x{source[4]:x2}");
        }

        return (kind, length);
    }
}
