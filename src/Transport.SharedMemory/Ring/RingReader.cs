namespace XStateNet.Actors.Transport.SharedMemory.Ring;

/// <summary>
/// The single consumer of one ring: the association's reader thread, or for a while after a message a thread-pool
/// worker it hands the reading to (see HotReadPump); never both at once.
/// </summary>
internal sealed unsafe class RingReader
{
    private readonly byte* _data;
    private readonly long* _consumerPosition;
    private readonly int* _sleeping;
    private readonly long _capacity;
    private readonly long _mask;
    private long _position;

    /// <param name="ring">The ring's control block and data area.</param>
    /// <param name="capacity">The validated capacity (never re-read from the segment).</param>
    /// <param name="position">The validated consumer position to start at (a multiple of the record alignment).</param>
    internal RingReader(RingBase ring, long capacity, long position)
    {
        _data = ring.Data;
        _consumerPosition = (long*)(ring.Control + SegmentLayout.ConsumerPositionOffset);
        _sleeping = (int*)(ring.Control + SegmentLayout.SleepingOffset);
        _capacity = capacity;
        _mask = capacity - 1;
        _position = position;
    }

    /// <summary>The capacity every read is bounded by.</summary>
    internal long Capacity => _capacity;

    /// <summary>Whether a complete record waits at the read position.</summary>
    public bool HasData => Volatile.Read(ref *(int*)(_data + (_position & _mask))) != 0;

    /// <summary>
    /// Hands up to <paramref name="maxRecords"/> complete records to <paramref name="handler"/>, then zeroes their
    /// bytes and returns the space to the writer in one step. Returns the number of messages delivered.
    /// </summary>
    /// <remarks>
    /// Everything read from the ring is read once and bounded by the validated capacity before it is used: the other
    /// process may write anything there at any moment. A batch stops at the end of the data area: past it lie the bytes this batch has consumed but not yet zeroed,
    /// whose stale headers must not be read as new records.
    /// </remarks>
    /// <exception cref="InvalidDataException">A record header is impossible (the segment is corrupt).</exception>
    public int Drain<THandler>(THandler handler, int maxRecords) where THandler : IRingRecordHandler
    {
        var start = _position;
        var end = start + (_capacity - (start & _mask));
        var delivered = 0;
        try
        {
            while (delivered < maxRecords && _position < end)
            {
                var index = _position & _mask;
                var header = _data + index;
                var frame = Volatile.Read(ref *(int*)header);
                if (frame == 0) break;
                var toEnd = _capacity - index;
                if (frame < SegmentLayout.RecordHeaderBytes || frame > toEnd)
                    throw new InvalidDataException(
                        $"Corrupt ring record at position {_position}: length {frame}, {toEnd} bytes left before the end of the ring.");
                var kind = *(int*)(header + 4);
                if (kind == SegmentLayout.MessageKind)
                {
                    handler.OnRecord(new ReadOnlySpan<byte>(header + SegmentLayout.RecordHeaderBytes, frame - SegmentLayout.RecordHeaderBytes));
                    delivered++;
                }
                else if (kind != SegmentLayout.PaddingKind)
                {
                    throw new InvalidDataException($"Corrupt ring record at position {_position}: unknown kind {kind}.");
                }

                _position += Math.Min(SegmentLayout.Align(frame), toEnd);
            }
        }
        finally
        {
            Release(start);
        }

        return delivered;
    }

    /// <summary>
    /// Announces that the reader is about to sleep. The caller must check <see cref="HasData"/> (and its own stop
    /// conditions) after this and before <see cref="Sleep"/>: the full fence of the exchange orders that re-check
    /// after the announcement, so a writer that published before it sees the flag and wakes us.
    /// </summary>
    public void PrepareToSleep() => Interlocked.Exchange(ref *_sleeping, 1);

    /// <summary>Sleeps until a writer wakes the ring or <paramref name="timeoutMs"/> passes.</summary>
    public void Sleep(int timeoutMs)
    {
        if (Futex.IsSupported) Futex.Wait(_sleeping, 1, timeoutMs);
        else Thread.Sleep(1);
        Volatile.Write(ref *_sleeping, 0);
    }

    /// <summary>Withdraws <see cref="PrepareToSleep"/> when the re-check found work.</summary>
    public void CancelSleep() => Volatile.Write(ref *_sleeping, 0);

    /// <summary>Wakes this reader from another thread of the same process (used to stop it).</summary>
    public void Wake()
    {
        if (Interlocked.Exchange(ref *_sleeping, 0) != 0 && Futex.IsSupported) Futex.Wake(_sleeping);
    }

    private void Release(long start)
    {
        if (_position == start) return;
        new Span<byte>(_data + (start & _mask), (int)(_position - start)).Clear();
        Volatile.Write(ref *_consumerPosition, _position);
    }
}
