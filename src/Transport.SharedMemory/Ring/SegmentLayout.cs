namespace XStateNet.Actors.Transport.SharedMemory.Ring;

/// <summary>
/// Where everything lives in a segment (a sealed memfd). One segment carries one association: ring 0 from the creator (the
/// connecting side) to the acceptor, ring 1 back.
/// </summary>
/// <remarks>
/// <code>
/// 0     magic (8)  version (4)  header size (4)  ring capacity (8)
/// 24    creator pid (4)  acceptor pid (4)  creator heartbeat ms (8)  acceptor heartbeat ms (8)
/// 48    creator closed (4)  acceptor closed (4)
/// 256   ring 0 control: producer position | consumer position | sleeping word, each on its own 128-byte line
/// 640   ring 1 control, same shape
/// 4096  ring 0 data (capacity bytes), then ring 1 data
/// </code>
/// 128-byte lines rather than 64: adjacent-line prefetch on x86 pulls cache lines in pairs, so 64 would still share.
/// </remarks>
internal static class SegmentLayout
{
    /// <summary>"XSNSHMRB" read as a little-endian integer.</summary>
    public const ulong Magic = 0x42524D48534E5358;

    public const int Version = 1;

    public const int HeaderBytes = 4096;

    public const int MagicOffset = 0;
    public const int VersionOffset = 8;
    public const int HeaderSizeOffset = 12;
    public const int CapacityOffset = 16;
    public const int CreatorPidOffset = 24;
    public const int AcceptorPidOffset = 28;
    public const int CreatorHeartbeatOffset = 32;
    public const int AcceptorHeartbeatOffset = 40;
    public const int CreatorClosedOffset = 48;
    public const int AcceptorClosedOffset = 52;

    public const int CacheLine = 128;
    public const int RingControlOffset = 256;
    public const int RingControlBytes = 3 * CacheLine;
    public const int ProducerPositionOffset = 0;
    public const int ConsumerPositionOffset = CacheLine;
    public const int SleepingOffset = 2 * CacheLine;

    public const long MinCapacity = 4096;
    public const long MaxCapacity = 1L << 30;

    /// <summary>Each record starts with its frame length (header included, committed last) and its kind.</summary>
    public const int RecordHeaderBytes = 8;
    public const int RecordAlignment = 8;
    public const int MessageKind = 1;
    public const int PaddingKind = 2;

    public static long FileLength(long capacity) => HeaderBytes + 2 * capacity;

    public static int ControlOffset(int ring) => RingControlOffset + ring * RingControlBytes;

    public static long DataOffset(int ring, long capacity) => HeaderBytes + ring * capacity;

    public static int Align(int length) => (length + RecordAlignment - 1) & ~(RecordAlignment - 1);

    /// <summary>The largest payload a ring of <paramref name="capacity"/> bytes can ever carry.</summary>
    public static long MaxPayload(long capacity) => capacity - RecordHeaderBytes;

    public static bool IsValidCapacity(long capacity) =>
        capacity >= MinCapacity && capacity <= MaxCapacity && (capacity & (capacity - 1)) == 0;
}
