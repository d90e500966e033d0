using System.Buffers.Binary;
using System.Text;
using Akka.Actor;

namespace XStateNet.Actors.Transport.Pipes.Framing;

/// <summary>
/// The transport-level handshake each side sends first: who is listening where, in which process. The process id
/// lets the other side tell a dead peer from a live one that closed abruptly; the address names the peer for
/// <see cref="PeerLiveness"/>. A connection whose first frame is not a valid hello is not one of ours.
/// </summary>
internal readonly record struct Hello(int ProcessId, Address ListenAddress)
{
    /// <summary>"XSNP" read as a little-endian integer.</summary>
    public const uint Magic = 0x504E5358;

    /// <summary>The layout below; bump it when it changes.</summary>
    public const byte Version = 1;

    private const int FixedSize = 4 + 1 + 4;

    public byte[] Encode()
    {
        var address = Encoding.UTF8.GetBytes(ListenAddress.ToString());
        var frame = new byte[FrameHeader.Size + FixedSize + address.Length];
        FrameHeader.Write(frame, FrameKind.Hello, FixedSize + address.Length);
        var body = frame.AsSpan(FrameHeader.Size);
        BinaryPrimitives.WriteUInt32LittleEndian(body, Magic);
        body[4] = Version;
        BinaryPrimitives.WriteInt32LittleEndian(body[5..], ProcessId);
        address.CopyTo(body[FixedSize..]);
        return frame;
    }

    /// <exception cref="FrameFormatException">Not a hello of this protocol and version.</exception>
    public static Hello Decode(Frame frame, string expectedProtocol)
    {
        if (frame.Kind != FrameKind.Hello)
            throw new FrameFormatException($"expected a hello frame first, got {Describe(frame.Kind)}");
        var body = frame.Payload.AsSpan();
        if (body.Length < FixedSize || BinaryPrimitives.ReadUInt32LittleEndian(body) != Magic)
            throw new FrameFormatException("hello frame without the transport's magic number");
        if (body[4] != Version)
            throw new FrameFormatException($"hello frame of protocol version {body[4]}, this side speaks {Version}");

        var pid = BinaryPrimitives.ReadInt32LittleEndian(body[5..]);
        string text;
        Address address;
        try
        {
            text = new UTF8Encoding(false, true).GetString(body[FixedSize..]);
            address = Address.Parse(text);
        }
        catch (Exception e) when (e is ArgumentException or UriFormatException or FormatException)
        {
            throw new FrameFormatException($"hello frame with an unreadable address: {e.Message}");
        }

        if (address.Protocol != expectedProtocol || address.Host is null || address.Port is null)
            throw new FrameFormatException($"hello frame with address '{text}', expected {expectedProtocol}://system@host:port");
        return new Hello(pid, address);
    }

    private static string Describe(FrameKind kind) => kind == FrameKind.EndOfStream ? "end of stream" : kind.ToString();
}
