using System.IO.MemoryMappedFiles;

namespace XStateNet.Actors.Transport.SharedMemory.Ring;

/// <summary>
/// One association's memory-mapped segment file: the header (identity, pids, heartbeats, close flags) and two rings.
/// Created by the connecting side, opened and validated by the listening side.
/// </summary>
internal sealed unsafe class SharedSegment : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly long _length;
    private int _disposed;

    private SharedSegment(string path, MemoryMappedFile file, long length, bool isCreator)
    {
        Path = path;
        IsCreator = isCreator;
        _file = file;
        _length = length;
        _view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.ReadWrite);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + _view.PointerOffset;
    }

    /// <summary>The segment file.</summary>
    public string Path { get; }

    /// <summary>True on the side that created the file (and writes ring 0).</summary>
    public bool IsCreator { get; }

    /// <summary>Bytes of each ring's data area.</summary>
    public long Capacity => *(long*)(_base + SegmentLayout.CapacityOffset);

    /// <summary>The other side's process id (0 until the acceptor has opened the segment).</summary>
    public int PeerPid => Volatile.Read(ref *IntAt(IsCreator ? SegmentLayout.AcceptorPidOffset : SegmentLayout.CreatorPidOffset));

    /// <summary>The other side's last heartbeat, in <see cref="MonotonicClock"/> milliseconds.</summary>
    public long PeerHeartbeat => Volatile.Read(ref *LongAt(IsCreator ? SegmentLayout.AcceptorHeartbeatOffset : SegmentLayout.CreatorHeartbeatOffset));

    /// <summary>Whether the other side closed the association on purpose.</summary>
    public bool PeerClosed => Volatile.Read(ref *IntAt(IsCreator ? SegmentLayout.AcceptorClosedOffset : SegmentLayout.CreatorClosedOffset)) != 0;

    /// <summary>Creates a new segment file (owner-only when <paramref name="mode"/> says so) and initialises its header.</summary>
    public static SharedSegment Create(string path, long capacity, UnixFileMode mode)
    {
        if (!SegmentLayout.IsValidCapacity(capacity))
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity,
                $"A ring must be a power of two between {SegmentLayout.MinCapacity} and {SegmentLayout.MaxCapacity} bytes.");
        var length = SegmentLayout.FileLength(capacity);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite | FileShare.Delete,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = mode;
        var stream = new FileStream(path, options);
        try
        {
            stream.SetLength(length);
            var file = MemoryMappedFile.CreateFromFile(stream, null, length, MemoryMappedFileAccess.ReadWrite,
                HandleInheritability.None, leaveOpen: false);
            var segment = new SharedSegment(path, file, length, isCreator: true);
            segment.InitialiseHeader(capacity);
            return segment;
        }
        catch
        {
            stream.Dispose();
            FileRemoval.TryDelete(path);
            throw;
        }
    }

    /// <summary>
    /// Opens a segment another process created and checks that it is one: magic, layout version, sizes, positions.
    /// Nothing beyond the header is touched before the file's length is known to cover the whole layout.
    /// </summary>
    /// <exception cref="SegmentFormatException">The file is not a valid segment.</exception>
    public static SharedSegment Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            var length = stream.Length;
            if (length < SegmentLayout.HeaderBytes)
                throw new SegmentFormatException(path, $"truncated: {length} bytes, shorter than the {SegmentLayout.HeaderBytes}-byte header.");
            var file = MemoryMappedFile.CreateFromFile(stream, null, length, MemoryMappedFileAccess.ReadWrite,
                HandleInheritability.None, leaveOpen: false);
            var segment = new SharedSegment(path, file, length, isCreator: false);
            try
            {
                segment.Validate();
                return segment;
            }
            catch
            {
                segment.Dispose();
                throw;
            }
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The writer of the ring this side sends on.</summary>
    public RingWriter CreateWriter() => new(RingBase(IsCreator ? 0 : 1), Capacity);

    /// <summary>The reader of the ring this side receives on.</summary>
    public RingReader CreateReader() => new(RingBase(IsCreator ? 1 : 0), Capacity);

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

    /// <summary>Removes the file; both sides keep their mappings until they dispose.</summary>
    public void Unlink() => FileRemoval.TryDelete(Path);

    /// <summary>
    /// The two process ids recorded in a segment file's header, or null when the file is too short or not a segment.
    /// Used to find segments left behind by dead processes.
    /// </summary>
    public static (int Creator, int Acceptor)? ReadOwners(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            Span<byte> header = stackalloc byte[SegmentLayout.AcceptorPidOffset + 4];
            if (stream.Length < SegmentLayout.HeaderBytes) return null;
            stream.ReadExactly(header);
            if (BitConverter.ToUInt64(header) != SegmentLayout.Magic) return null;
            return (BitConverter.ToInt32(header[SegmentLayout.CreatorPidOffset..]),
                BitConverter.ToInt32(header[SegmentLayout.AcceptorPidOffset..]));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
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

    private void Validate()
    {
        var magic = *(ulong*)(_base + SegmentLayout.MagicOffset);
        if (magic != SegmentLayout.Magic)
            throw new SegmentFormatException(Path, $"wrong magic number 0x{magic:X16} (expected 0x{SegmentLayout.Magic:X16}): not an XStateNet shared-memory segment.");
        var version = *(int*)(_base + SegmentLayout.VersionOffset);
        if (version != SegmentLayout.Version)
            throw new SegmentFormatException(Path, $"layout version {version}, this build reads version {SegmentLayout.Version}.");
        var headerSize = *(int*)(_base + SegmentLayout.HeaderSizeOffset);
        if (headerSize != SegmentLayout.HeaderBytes)
            throw new SegmentFormatException(Path, $"header size {headerSize}, expected {SegmentLayout.HeaderBytes}.");
        var capacity = Capacity;
        if (!SegmentLayout.IsValidCapacity(capacity))
            throw new SegmentFormatException(Path, $"ring size {capacity} is not a power of two between {SegmentLayout.MinCapacity} and {SegmentLayout.MaxCapacity}.");
        var expected = SegmentLayout.FileLength(capacity);
        if (_length < expected)
            throw new SegmentFormatException(Path, $"truncated: {_length} bytes, two rings of {capacity} bytes need {expected}.");
        if (_length > expected)
            throw new SegmentFormatException(Path, $"{_length} bytes, two rings of {capacity} bytes make exactly {expected}.");
        for (var ring = 0; ring < 2; ring++)
        {
            var control = _base + SegmentLayout.ControlOffset(ring);
            var producer = *(long*)(control + SegmentLayout.ProducerPositionOffset);
            var consumer = *(long*)(control + SegmentLayout.ConsumerPositionOffset);
            if (producer < 0 || consumer < 0 || consumer > producer || producer - consumer > capacity
                || producer % SegmentLayout.RecordAlignment != 0 || consumer % SegmentLayout.RecordAlignment != 0)
                throw new SegmentFormatException(Path,
                    $"impossible positions in ring {ring}: producer {producer}, consumer {consumer}, capacity {capacity}.");
        }
    }

    private RingBase RingBase(int ring) =>
        new(_base + SegmentLayout.ControlOffset(ring), _base + SegmentLayout.DataOffset(ring, Capacity));

    private int* IntAt(int offset) => (int*)(_base + offset);

    private long* LongAt(int offset) => (long*)(_base + offset);
}

/// <summary>A ring's control block and data area inside a mapping.</summary>
internal readonly unsafe struct RingBase(byte* control, byte* data)
{
    public byte* Control { get; } = control;

    public byte* Data { get; } = data;
}
