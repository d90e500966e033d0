namespace XStateNet.Actors.Transport.SharedMemory.Ring;

/// <summary>
/// One association's shared memory: the header (identity, pids, heartbeats, close flags) and two rings, in a sealed
/// memfd (see <see cref="SealedMemory"/>). Created by the connecting side, which hands its descriptor number to the
/// listening side; the listener opens it through <c>/proc/&lt;kernel-verified pid&gt;/fd/&lt;n&gt;</c> and validates it.
/// </summary>
/// <remarks>
/// Everything the other process could change and this one uses as a size or an offset (the ring capacity, the
/// starting ring positions) is read once, validated, and kept in fields: the header is never trusted again.
/// </remarks>
internal sealed unsafe class SharedSegment : IDisposable
{
    private readonly byte* _base;
    private readonly long _length;
    private readonly long _capacity;
    private readonly (long Producer, long Consumer)[] _positions;
    private readonly int _fd;
    private int _disposed;

    private SharedSegment(string name, int fd, byte* mapping, long length, long capacity, bool isCreator, (long, long)[] positions)
    {
        Path = name;
        IsCreator = isCreator;
        _fd = fd;
        _base = mapping;
        _length = length;
        _capacity = capacity;
        _positions = positions;
    }

    /// <summary>The segment's name, as <c>/proc/&lt;pid&gt;/maps</c> shows it (<c>/memfd:&lt;name&gt;</c>), for logs.</summary>
    public string Path { get; }

    /// <summary>True on the side that created the segment (and writes ring 0).</summary>
    public bool IsCreator { get; }

    /// <summary>This process's descriptor of the segment (what the connecting side tells the listener to open).</summary>
    public int Descriptor => _fd;

    /// <summary>Bytes of each ring's data area, as validated when the segment was created or opened.</summary>
    public long Capacity => _capacity;

    /// <summary>The other side's process id as the segment states it (0 until the acceptor has opened it). Diagnostics only: the peer writes it.</summary>
    public int PeerPid => Volatile.Read(ref *IntAt(IsCreator ? SegmentLayout.AcceptorPidOffset : SegmentLayout.CreatorPidOffset));

    /// <summary>The other side's last heartbeat, in <see cref="MonotonicClock"/> milliseconds.</summary>
    public long PeerHeartbeat => Volatile.Read(ref *LongAt(IsCreator ? SegmentLayout.AcceptorHeartbeatOffset : SegmentLayout.CreatorHeartbeatOffset));

    /// <summary>Whether the other side closed the association on purpose.</summary>
    public bool PeerClosed => Volatile.Read(ref *IntAt(IsCreator ? SegmentLayout.AcceptorClosedOffset : SegmentLayout.CreatorClosedOffset)) != 0;

    /// <summary>
    /// Creates a segment: a memfd named <paramref name="name"/>, its memory allocated up front and sealed against
    /// resizing, with an initialised header.
    /// </summary>
    /// <exception cref="IOException">No shared memory is available for the segment (the message gives the size).</exception>
    public static SharedSegment Create(string name, long capacity)
    {
        if (!SegmentLayout.IsValidCapacity(capacity))
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity,
                $"A ring must be a power of two between {SegmentLayout.MinCapacity} and {SegmentLayout.MaxCapacity} bytes.");
        var length = SegmentLayout.FileLength(capacity);
        var fd = SealedMemory.Create(name, length);
        try
        {
            var segment = new SharedSegment(SealedMemory.LinkPrefix + name, fd, SealedMemory.Map(fd, length), length, capacity,
                isCreator: true, [(0, 0), (0, 0)]);
            segment.InitialiseHeader(capacity);
            return segment;
        }
        catch
        {
            SealedMemory.Close(fd);
            throw;
        }
    }

    /// <summary>
    /// Opens the segment process <paramref name="pid"/> (as the kernel named the peer) holds as descriptor
    /// <paramref name="fd"/>, and checks that it is one: a memfd sealed against shrinking, then magic, layout
    /// version, sizes, positions. The header is checked in a private copy before anything is mapped.
    /// </summary>
    /// <exception cref="SegmentFormatException">It is not a valid segment.</exception>
    /// <exception cref="IOException">It cannot be opened or mapped.</exception>
    public static SharedSegment Open(int pid, int fd, string name)
    {
        var path = $"{name} (descriptor {fd} of process {pid})";
        var target = SealedMemory.DescribePeerDescriptor(pid, fd);
        if (target is null)
            throw new SegmentFormatException(path, $"process {pid} has no descriptor {fd} this process may open.");
        if (!target.StartsWith(SealedMemory.LinkPrefix, StringComparison.Ordinal))
            throw new SegmentFormatException(path, $"descriptor {fd} of process {pid} is {target}, not a shared-memory segment (memfd).");
        var opened = SealedMemory.OpenPeerDescriptor(pid, fd, out var error);
        if (opened < 0) throw new IOException($"Shared-memory segment '{path}': {error}");
        try
        {
            // Sealed first: from here on nobody can make the file shorter than the size read next.
            if ((SealedMemory.Seals(opened) & SealedMemory.SealShrink) == 0)
                throw new SegmentFormatException(path, "not sealed against shrinking (F_SEAL_SHRINK): its creator could truncate it under the mapping.");
            var length = SealedMemory.Size(opened);
            Span<byte> header = stackalloc byte[SegmentLayout.CapacityOffset + 8];
            if (length < SegmentLayout.HeaderBytes || SealedMemory.ReadStart(opened, header) < header.Length)
                throw new SegmentFormatException(path, $"truncated: {length} bytes, shorter than the {SegmentLayout.HeaderBytes}-byte header.");
            var capacity = ValidateHeader(path, header, length);
            var mapping = SealedMemory.Map(opened, length);
            try
            {
                var positions = ValidatePositions(path, mapping, capacity);
                return new SharedSegment(target, opened, mapping, length, capacity, isCreator: false, positions);
            }
            catch
            {
                SealedMemory.Unmap(mapping, length);
                throw;
            }
        }
        catch
        {
            SealedMemory.Close(opened);
            throw;
        }
    }

    /// <summary>The writer of the ring this side sends on.</summary>
    public RingWriter CreateWriter()
    {
        var ring = IsCreator ? 0 : 1;
        return new(RingBase(ring), _capacity, _positions[ring].Producer, _positions[ring].Consumer);
    }

    /// <summary>The reader of the ring this side receives on.</summary>
    public RingReader CreateReader()
    {
        var ring = IsCreator ? 1 : 0;
        return new(RingBase(ring), _capacity, _positions[ring].Consumer);
    }

    /// <summary>The acceptor records its process id and first heartbeat when it takes the segment.</summary>
    public void Accept(int pid, long nowMs)
    {
        Volatile.Write(ref *LongAt(SegmentLayout.AcceptorHeartbeatOffset), nowMs);
        Volatile.Write(ref *IntAt(SegmentLayout.AcceptorPidOffset), pid);
    }

    /// <summary>Publishes this side's heartbeat.</summary>
    public void Beat(long nowMs) =>
        Volatile.Write(ref *LongAt(IsCreator ? SegmentLayout.CreatorHeartbeatOffset : SegmentLayout.AcceptorHeartbeatOffset), nowMs);

    /// <summary>Tells the other side this one is closing on purpose (a goodbye, not a death).</summary>
    public void MarkClosed() =>
        Volatile.Write(ref *IntAt(IsCreator ? SegmentLayout.CreatorClosedOffset : SegmentLayout.AcceptorClosedOffset), 1);

    /// <summary>Unmaps the segment and closes this process's descriptor: once neither process holds it, the kernel frees it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        SealedMemory.Close(_fd);
        SealedMemory.Unmap(_base, _length);
    }

    private void InitialiseHeader(long capacity)
    {
        *(int*)(_base + SegmentLayout.VersionOffset) = SegmentLayout.Version;
        *(int*)(_base + SegmentLayout.HeaderSizeOffset) = SegmentLayout.HeaderBytes;
        *(long*)(_base + SegmentLayout.CapacityOffset) = capacity;
        *IntAt(SegmentLayout.CreatorPidOffset) = Environment.ProcessId;
        var now = MonotonicClock.NowMs;
        *LongAt(SegmentLayout.CreatorHeartbeatOffset) = now;
        // The acceptor's clock starts now: a listener that never opens the segment goes stale like a dead one.
        *LongAt(SegmentLayout.AcceptorHeartbeatOffset) = now;
        Volatile.Write(ref *(ulong*)(_base + SegmentLayout.MagicOffset), SegmentLayout.Magic);
    }

    private static long ValidateHeader(string path, ReadOnlySpan<byte> header, long length)
    {
        var magic = BitConverter.ToUInt64(header[SegmentLayout.MagicOffset..]);
        if (magic != SegmentLayout.Magic)
            throw new SegmentFormatException(path, $"wrong magic number 0x{magic:X16} (expected 0x{SegmentLayout.Magic:X16}): not an XStateNet shared-memory segment.");
        var version = BitConverter.ToInt32(header[SegmentLayout.VersionOffset..]);
        if (version != SegmentLayout.Version)
            throw new SegmentFormatException(path, $"layout version {version}, this build reads version {SegmentLayout.Version}.");
        var headerSize = BitConverter.ToInt32(header[SegmentLayout.HeaderSizeOffset..]);
        if (headerSize != SegmentLayout.HeaderBytes)
            throw new SegmentFormatException(path, $"header size {headerSize}, expected {SegmentLayout.HeaderBytes}.");
        var capacity = BitConverter.ToInt64(header[SegmentLayout.CapacityOffset..]);
        if (!SegmentLayout.IsValidCapacity(capacity))
            throw new SegmentFormatException(path, $"ring size {capacity} is not a power of two between {SegmentLayout.MinCapacity} and {SegmentLayout.MaxCapacity}.");
        var expected = SegmentLayout.FileLength(capacity);
        if (length < expected)
            throw new SegmentFormatException(path, $"truncated: {length} bytes, two rings of {capacity} bytes need {expected}.");
        if (length > expected)
            throw new SegmentFormatException(path, $"{length} bytes, two rings of {capacity} bytes make exactly {expected}.");
        return capacity;
    }

    private static (long, long)[] ValidatePositions(string path, byte* mapping, long capacity)
    {
        var positions = new (long, long)[2];
        for (var ring = 0; ring < 2; ring++)
        {
            var control = mapping + SegmentLayout.ControlOffset(ring);
            var producer = Volatile.Read(ref *(long*)(control + SegmentLayout.ProducerPositionOffset));
            var consumer = Volatile.Read(ref *(long*)(control + SegmentLayout.ConsumerPositionOffset));
            if (producer < 0 || consumer < 0 || consumer > producer || producer - consumer > capacity
                || producer % SegmentLayout.RecordAlignment != 0 || consumer % SegmentLayout.RecordAlignment != 0)
                throw new SegmentFormatException(path,
                    $"impossible positions in ring {ring}: producer {producer}, consumer {consumer}, capacity {capacity}.");
            positions[ring] = (producer, consumer);
        }

        return positions;
    }

    private RingBase RingBase(int ring) =>
        new(_base + SegmentLayout.ControlOffset(ring), _base + SegmentLayout.DataOffset(ring, _capacity));

    private int* IntAt(int offset) => (int*)(_base + offset);

    private long* LongAt(int offset) => (long*)(_base + offset);
}

/// <summary>A ring's control block and data area inside a mapping.</summary>
internal readonly unsafe struct RingBase(byte* control, byte* data)
{
    public byte* Control { get; } = control;

    public byte* Data { get; } = data;
}
