namespace XStateNet.Actors.Transport.SharedMemory.Ring;

/// <summary>
/// A segment that is not a valid XStateNet shared-memory segment: not a sealed memfd, foreign, truncated, of another layout
/// version, or with ring positions no correct writer could have produced.
/// </summary>
internal sealed class SegmentFormatException : IOException
{
    /// <summary>Creates the exception for the segment at <paramref name="path"/>.</summary>
    public SegmentFormatException(string path, string problem)
        : base($"Shared-memory segment '{path}' refused: {problem}")
    {
        SegmentPath = path;
    }

    /// <summary>The file that was refused.</summary>
    public string SegmentPath { get; }
}
