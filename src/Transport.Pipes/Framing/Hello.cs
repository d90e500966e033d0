using System.Buffers.Binary;
using System.Text;
using Akka.Actor;

namespace XStateNet.Actors.Transport.Pipes.Framing;

/// <summary>
/// The transport-level handshake each side sends first: who is listening where, in which process, and the largest
/// frame it accepts. The address names the peer for <see cref="PeerLiveness"/> and <see cref="PayloadLimits"/>; the
/// declared process id is only a claim (the kernel's word, <see cref="PeerCredentials"/>, is what the transport
/// trusts). A connection whose first frame is not a valid hello is not one of ours.
/// </summary>
internal readonly record struct Hello(int ProcessId, Address ListenAddress, int MaximumFrameSize)
{
    /// <summary>"XSNP" read as a little-endian integer.</summary>
    public const uint Magic = 0x504E5358;

    /// <summary>
    /// The layout below; bump it when it changes. Magic and version keep their places in every version, so a peer of
    /// another version reads both and refuses with "protocol version N, this side speaks M" instead of misreading.
    /// Version 2 added the maximum frame size.
    /// </summary>
    public const byte Version = 2;

    // magic, version, process id, maximum frame size; the address fills the rest.
    private const int FixedSize = 4 + 1 + 4 + 4;

    public byte[] Encode()
    {
        var address = Encoding.UTF8.GetBytes(ListenAddress.ToString());
        var frame = new byte[FrameHeader.Size + FixedSize + address.Length];
        FrameHeader.Write(frame, FrameKind.Hello, FixedSize + address.Length);
        var body = frame.AsSpan(FrameHeader.Size);
        BinaryPrimitives.WriteUInt32LittleEndian(body, Magic);
        body[4] = Version;
        BinaryPrimitives.WriteInt32LittleEndian(body[5..], ProcessId);
        BinaryPrimitives.WriteInt32LittleEndian(body[9..], MaximumFrameSize);
        address.CopyTo(body[FixedSize..]);
        return frame;
    }

    /// <exception cref="FrameFormatException">Not a hello of this protocol and version.</exception>
    public static Hello Decode(Frame frame, string expectedProtocol)
    {
        if (frame.Kind != FrameKind.Hello)
            throw new FrameFormatException($"expected a hello frame first, got {Describe(frame.Kind)}");
        var body = frame.Payload.AsSpan();
        if (body.Length < 5 || BinaryPrimitives.ReadUInt32LittleEndian(body) != Magic)
            throw new FrameFormatException("hello frame without the transport's magic number");
        if (body[4] != Version)
            throw new FrameFormatException(
                $"hello frame of protocol version {body[4]}, this side speaks {Version}: both sides need the same version of the pipe transport");
        if (body.Length < FixedSize)
            throw new FrameFormatException($"hello frame of {body.Length} bytes, shorter than the {FixedSize} of its fixed part");

        var pid = BinaryPrimitives.ReadInt32LittleEndian(body[5..]);
        var maximumFrameSize = BinaryPrimitives.ReadInt32LittleEndian(body[9..]);
        if (maximumFrameSize <= 0)
            throw new FrameFormatException($"hello frame with a maximum frame size of {maximumFrameSize} bytes");

        string text;
        Address address;
        try
        {
            text = new UTF8Encoding(false, true).GetString(body[FixedSize..]);
            address = Address.Parse(text);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Address.Parse is not written for hostile input: whatever it throws, the hello is unreadable.
            throw new FrameFormatException($"hello frame with an unreadable address: {e.Message}");
        }

        if (address.Protocol != expectedProtocol || address.Host is null || address.Port is null)
            throw new FrameFormatException($"hello frame with address '{text}', expected {expectedProtocol}://system@host:port");
        return new Hello(pid, address, maximumFrameSize);
    }

    private static string Describe(FrameKind kind) => kind == FrameKind.EndOfStream ? "end of stream" : $"a {kind} frame";
}
