namespace XStateNet.Actors.Transport.SharedMemory.Ring;

/// <summary>Receives the records a <see cref="RingReader"/> drains; the span is valid only during the call.</summary>
internal interface IRingRecordHandler
{
    void OnRecord(ReadOnlySpan<byte> payload);
}
