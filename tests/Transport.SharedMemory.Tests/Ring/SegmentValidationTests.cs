using XStateNet.Actors.Transport.SharedMemory.Ring;

namespace XStateNet.Actors.Transport.SharedMemory.Tests.Ring;

/// <summary>
/// Opening anything but a sound segment fails with a clear error, before any ring is touched; and nothing the peer
/// does to its segment afterwards can make the reader leave the mapping (issue 13, item 5).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SegmentValidationTests
{
    private const long Capacity = 4096;
    private static readonly int SealedAgainstResizing = SealedMemory.SealShrink | SealedMemory.SealGrow | SealedMemory.SealSeal;

    [Fact]
    public void A_created_segment_is_a_sealed_memfd_that_opens_with_both_pids()
    {
        var name = TestSegments.UniqueName();
        using var creator = TestSegments.Create(Capacity, name);
        Assert.Equal("/memfd:" + name, creator.Path);
        Assert.Equal(SealedAgainstResizing, SealedMemory.Seals(creator.Descriptor));
        Assert.Equal(SegmentLayout.FileLength(Capacity), SealedMemory.Size(creator.Descriptor));

        using var acceptor = TestSegments.OpenAsPeer(creator);
        Assert.Equal(0, creator.PeerPid);
        acceptor.Accept(Environment.ProcessId, MonotonicClock.NowMs);
        Assert.Equal(Environment.ProcessId, creator.PeerPid);
        Assert.Equal(Environment.ProcessId, acceptor.PeerPid);
        Assert.Equal(2, TestSegments.Mapped(name).Length);
    }

    [Fact]
    public void Once_both_sides_let_go_nothing_is_left_no_file_and_no_mapping()
    {
        var name = TestSegments.UniqueName();
        var creator = TestSegments.Create(Capacity, name);
        var acceptor = TestSegments.OpenAsPeer(creator);
        Assert.NotEmpty(TestSegments.Mapped(name));
        creator.Dispose();
        acceptor.Dispose();
        Assert.Empty(TestSegments.Mapped(name));
        Assert.DoesNotContain(Directory.GetFiles($"/proc/{Environment.ProcessId}/fd").Select(f => new FileInfo(f).LinkTarget),
            target => target?.Contains(name, StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Nobody_can_truncate_a_segment_not_even_its_creator()
    {
        using var creator = TestSegments.Create(Capacity);
        using var acceptor = TestSegments.OpenAsPeer(creator);
        const int EPERM = 1;
        Assert.Equal(EPERM, TestSegments.Truncate(creator.Descriptor, SegmentLayout.HeaderBytes));
        Assert.Equal(EPERM, TestSegments.Truncate(acceptor.Descriptor, 0));
        Assert.Equal(SegmentLayout.FileLength(Capacity), SealedMemory.Size(creator.Descriptor));
    }

    [Fact]
    public void A_memfd_its_creator_could_still_shrink_is_refused()
    {
        using var unsealed = TestSegments.Raw(ValidBytes(), seals: 0);

        var error = Assert.Throws<SegmentFormatException>(() => SharedSegment.Open(Environment.ProcessId, unsealed.Descriptor, "unsealed"));
        Assert.Contains("not sealed against shrinking (F_SEAL_SHRINK)", error.Message);
    }

    [Fact]
    public void A_descriptor_that_is_not_a_memfd_is_refused_without_being_opened()
    {
        var path = Path.GetTempFileName();
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
            var fd = (int)file.SafeFileHandle.DangerousGetHandle();
            var error = Assert.Throws<SegmentFormatException>(() => SharedSegment.Open(Environment.ProcessId, fd, "a file"));
            Assert.Contains($"is {path}, not a shared-memory segment (memfd)", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_descriptor_that_is_not_open_is_refused()
    {
        var error = Assert.Throws<SegmentFormatException>(() => SharedSegment.Open(Environment.ProcessId, 999_999, "nothing"));
        Assert.Contains("has no descriptor 999999", error.Message);
    }

    [Fact]
    public void A_foreign_memfd_is_refused_for_its_magic()
    {
        var bytes = new byte[SegmentLayout.FileLength(Capacity)];
        new Random(5).NextBytes(bytes);
        using var foreign = TestSegments.Raw(bytes, SealedAgainstResizing);

        var error = Assert.Throws<SegmentFormatException>(() => SharedSegment.Open(Environment.ProcessId, foreign.Descriptor, "foreign"));
        Assert.Contains("wrong magic number", error.Message);
        Assert.Contains($"foreign (descriptor {foreign.Descriptor} of process {Environment.ProcessId})", error.Message);
    }

    [Fact]
    public void A_segment_shorter_than_the_header_is_refused_as_truncated()
    {
        using var tiny = TestSegments.Raw(BitConverter.GetBytes(SegmentLayout.Magic), SealedAgainstResizing);

        var error = Assert.Throws<SegmentFormatException>(() => SharedSegment.Open(Environment.ProcessId, tiny.Descriptor, "tiny"));
        Assert.Contains("truncated: 8 bytes", error.Message);
    }

    [Fact]
    public void A_segment_cut_short_of_its_rings_is_refused_as_truncated()
    {
        using var cut = TestSegments.Raw(ValidBytes()[..(int)(SegmentLayout.HeaderBytes + Capacity)], SealedAgainstResizing);

        var error = Assert.Throws<SegmentFormatException>(() => SharedSegment.Open(Environment.ProcessId, cut.Descriptor, "cut"));
        Assert.Contains($"truncated: {SegmentLayout.HeaderBytes + Capacity} bytes", error.Message);
    }

    [Fact]
    public void Another_layout_version_is_refused()
    {
        using var creator = TestSegments.Create(Capacity);
        TestSegments.Patch(creator.Descriptor, SegmentLayout.VersionOffset, BitConverter.GetBytes(99));

        var error = Assert.Throws<SegmentFormatException>(() => TestSegments.OpenAsPeer(creator));
        Assert.Contains("layout version 99", error.Message);
    }

    [Fact]
    public void A_ring_size_that_is_not_a_power_of_two_is_refused()
    {
        using var creator = TestSegments.Create(Capacity);
        TestSegments.Patch(creator.Descriptor, SegmentLayout.CapacityOffset, BitConverter.GetBytes(5000L));

        var error = Assert.Throws<SegmentFormatException>(() => TestSegments.OpenAsPeer(creator));
        Assert.Contains("ring size 5000", error.Message);
    }

    [Fact]
    public void A_ring_size_changed_after_validation_is_never_read_again()
    {
        using var creator = TestSegments.Create(Capacity);
        using var acceptor = TestSegments.OpenAsPeer(creator);

        // The peer claims a 1 GiB ring after we validated 4 KiB, then writes a record that would fit only the claim.
        TestSegments.Patch(creator.Descriptor, SegmentLayout.CapacityOffset, BitConverter.GetBytes(SegmentLayout.MaxCapacity));
        TestSegments.Patch(creator.Descriptor, SegmentLayout.HeaderBytes, [.. BitConverter.GetBytes(8000), .. BitConverter.GetBytes(SegmentLayout.MessageKind)]);
        var reader = acceptor.CreateReader();
        var writer = acceptor.CreateWriter();

        Assert.Equal(Capacity, acceptor.Capacity);
        Assert.Equal(Capacity, reader.Capacity);
        Assert.Equal(SegmentLayout.MaxPayload(Capacity), writer.MaxPayload);
        var error = Assert.Throws<InvalidDataException>(() => reader.Drain(new NoRecords(), 10));
        Assert.Contains("length 8000, 4096 bytes left", error.Message);
    }

    [Theory]
    [InlineData(0L, 8L)]       // consumer ahead of producer
    [InlineData(8192L, 0L)]    // more unread than the ring holds
    [InlineData(12L, 0L)]      // not on a record boundary
    [InlineData(-8L, -16L)]    // negative
    public void Impossible_ring_positions_are_refused(long producer, long consumer)
    {
        using var creator = TestSegments.Create(Capacity);
        var control = SegmentLayout.ControlOffset(1);
        TestSegments.Patch(creator.Descriptor, control + SegmentLayout.ProducerPositionOffset, BitConverter.GetBytes(producer));
        TestSegments.Patch(creator.Descriptor, control + SegmentLayout.ConsumerPositionOffset, BitConverter.GetBytes(consumer));

        var error = Assert.Throws<SegmentFormatException>(() => TestSegments.OpenAsPeer(creator));
        Assert.Contains($"impossible positions in ring 1: producer {producer}, consumer {consumer}", error.Message);
    }

    private static byte[] ValidBytes()
    {
        using var creator = TestSegments.Create(Capacity);
        var bytes = new byte[SegmentLayout.FileLength(Capacity)];
        using var stream = new FileStream($"/proc/self/fd/{creator.Descriptor}", FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.ReadExactly(bytes);
        return bytes;
    }

    private sealed class NoRecords : IRingRecordHandler
    {
        public void OnRecord(ReadOnlySpan<byte> payload) => Assert.Fail("a record that does not fit the validated ring was delivered");
    }
}
