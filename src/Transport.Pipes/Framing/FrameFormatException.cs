namespace XStateNet.Actors.Transport.Pipes.Framing;

/// <summary>
/// The bytes on a pipe are not frames of this transport: an impossible length, an unknown kind, a stream cut inside
/// a frame, or a peer that does not speak the protocol. The connection that sent them is closed; others go on.
/// </summary>
internal sealed class FrameFormatException : IOException
{
    /// <summary>Creates the exception with a description of what was wrong.</summary>
    public FrameFormatException(string message) : base(message)
    {
    }
}
