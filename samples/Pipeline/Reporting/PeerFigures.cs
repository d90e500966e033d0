namespace XStateNet.Actors.Samples.Pipeline.Reporting;

/// <summary>
/// What one stage's transport did with one peer over the run, from the transport meter
/// (<see cref="XStateNet.Actors.Transport.Telemetry.TransportMetrics"/>): messages and payload bytes each way, and the
/// writes refused because the way to the peer was full (back-offs; Akka retried them).
/// </summary>
internal sealed record PeerFigures
{
    /// <summary>The transport's scheme (<c>shm</c>, <c>pipe</c>).</summary>
    public required string Transport { get; init; }

    /// <summary>The peer's address as the transport tags it.</summary>
    public required string Peer { get; init; }

    public long MessagesSent { get; init; }

    public long MessagesReceived { get; init; }

    public long BytesSent { get; init; }

    public long BytesReceived { get; init; }

    public long Backoffs { get; init; }
}
