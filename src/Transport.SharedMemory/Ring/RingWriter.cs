namespace XStateNet.Actors.Transport.SharedMemory.Ring;

/// <summary>
/// The single producer of one ring. Not thread-safe: exactly one thread at a time may write (the association
/// handle serialises Akka's writers).
/// </summary>
/// <remarks>
/// A record is <c>[frame length:4][kind:4][payload]</c>, padded to 8 bytes. The payload and kind are written
/// first and the length last with release semantics: the reader treats a non-zero length as "complete". When a
/// record would cross the end of the data area, a padding record fills the tail and the record starts at 0.
/// The consumer zeroes what it consumed before handing the space back, so a stale length is never mistaken for a
/// new one.
/// </remarks>
internal sealed unsafe class RingWriter
{
    private readonly byte* _data;
    private readonly long* _producerPosition;
    private readonly long* _consumerPosition;
    private readonly int* _sleeping;
    private readonly long _capacity;
    private readonly long _mask;
    private long _position;
    private long _consumerCache;

    /// <param name="ring">The ring's control block and data area.</param>
    /// <param name="capacity">The validated capacity (never re-read from the segment).</param>
    /// <param name="position">The validated producer position to start at.</param>
    /// <param name="consumer">The validated consumer position.</param>
    /// <remarks>
    /// The consumer position is later re-read from the ring, where the peer may write anything: it only decides how
    /// much room there is, never where a write goes (every write is masked into the data area and fits before its end).
    /// </remarks>
    internal RingWriter(RingBase ring, long capacity, long position, long consumer)
    {
        _data = ring.Data;
        _producerPosition = (long*)(ring.Control + SegmentLayout.ProducerPositionOffset);
        _consumerPosition = (long*)(ring.Control + SegmentLayout.ConsumerPositionOffset);
        _sleeping = (int*)(ring.Control + SegmentLayout.SleepingOffset);
        _capacity = capacity;
        _mask = capacity - 1;
        _position = position;
        _consumerCache = consumer;
    }

    /// <summary>The largest payload this ring accepts.</summary>
    public long MaxPayload => SegmentLayout.MaxPayload(_capacity);

    /// <summary>
    /// Bytes written and not yet consumed (the ring's fill), for the transport's meter. Read from any thread: a
    /// momentary view, and the consumer position is the peer's word, so it is clamped to the ring's capacity.
    /// </summary>
    public long QueuedBytes => Math.Clamp(Volatile.Read(ref _position) - Volatile.Read(ref *_consumerPosition), 0, _capacity);

    /// <summary>
    /// Appends one record. False when the ring has no room now (the reader has not caught up): nothing was written
    /// and the caller should retry later.
    /// </summary>
    /// <exception cref="ArgumentException">The payload can never fit this ring.</exception>
    public bool TryWrite(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxPayload)
            throw new ArgumentException(
                $"A {payload.Length}-byte record can never fit a {_capacity}-byte ring (at most {MaxPayload}).", nameof(payload));
        var frame = SegmentLayout.RecordHeaderBytes + payload.Length;
        var aligned = SegmentLayout.Align(frame);
        var index = _position & _mask;
        var toEnd = _capacity - index;
        if (aligned > toEnd)
        {
            if (!HasRoom(toEnd)) return false;
            Commit(index, (int)toEnd, SegmentLayout.PaddingKind);
            _position += toEnd;
            index = 0;
            if (!HasRoom(aligned))
            {
                Publish();
                return false;
            }
        }
        else if (!HasRoom(aligned))
        {
            return false;
        }

        payload.CopyTo(new Span<byte>(_data + index + SegmentLayout.RecordHeaderBytes, payload.Length));
        Commit(index, frame, SegmentLayout.MessageKind);
        _position += aligned;
        Publish();
        return true;
    }

    /// <summary>Wakes the reader if it sleeps, whether or not there is data (used on close).</summary>
    public void WakeReader()
    {
        if (Interlocked.Exchange(ref *_sleeping, 0) != 0 && Futex.IsSupported) Futex.Wake(_sleeping);
    }

    private bool HasRoom(long bytes)
    {
        if (_capacity - (_position - _consumerCache) >= bytes) return true;
        _consumerCache = Volatile.Read(ref *_consumerPosition);
        return _capacity - (_position - _consumerCache) >= bytes;
    }

    private void Commit(long index, int frame, int kind)
    {
        var header = _data + index;
        *(int*)(header + 4) = kind;
        Volatile.Write(ref *(int*)header, frame);
    }

    private void Publish()
    {
        Volatile.Write(ref *_producerPosition, _position);
        // Store-load fence: the length we just published must be visible before we look at the sleeping word, or a
        // reader going to sleep at this instant and this writer could each miss the other's store.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref *_sleeping) != 0) WakeReader();
    }
}
