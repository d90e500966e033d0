namespace XStateNet.Actors.Transport.Pipes.Framing;

/// <summary>One decoded frame. The payload array belongs to the receiver (nothing else refers to it).</summary>
internal readonly record struct Frame(FrameKind Kind, byte[] Payload)
{
    public static readonly Frame EndOfStream = new(FrameKind.EndOfStream, []);
}
