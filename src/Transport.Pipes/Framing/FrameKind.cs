namespace XStateNet.Actors.Transport.Pipes.Framing;

/// <summary>What a frame on the pipe carries. Anything else on the wire is a protocol error.</summary>
internal enum FrameKind : byte
{
    /// <summary>Not a frame: the stream ended cleanly between two frames.</summary>
    EndOfStream = 0,

    /// <summary>The first frame each side sends: magic, version, process id and listen address.</summary>
    Hello = 1,

    /// <summary>One Akka protocol data unit, handed to Akka as it is.</summary>
    Payload = 2,

    /// <summary>The sender closes on purpose; the end of stream that follows is not a death.</summary>
    Goodbye = 3,
}
