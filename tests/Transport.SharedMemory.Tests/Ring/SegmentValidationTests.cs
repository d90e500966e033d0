using XStateNet.Actors.Transport.SharedMemory.Ring;

namespace XStateNet.Actors.Transport.SharedMemory.Tests.Ring;

/// <summary>Opening anything but a sound segment fails with a clear error, before any ring is touched.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SegmentValidationTests : IDisposable
{
    private const long Capacity = 4096;
    private readonly TempShmDirectory _dir = new();

    [Fact]
    public void A_created_segment_is_owner_only_and_opens_with_both_pids()
    {
        using var creator = SharedSegment.Create(_dir.File("ok.seg"), Capacity, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(creator.Path));
        Assert.Equal(SegmentLayout.FileLength(Capacity), new FileInfo(creator.Path).Length);

        using var acceptor = SharedSegment.Open(creator.Path);
        Assert.Equal(0, creator.PeerPid);
        acceptor.Accept(Environment.ProcessId, MonotonicClock.NowMs);
        Assert.Equal(Environment.ProcessId, creator.PeerPid);
        Assert.Equal(Environment.ProcessId, acceptor.PeerPid);
        Assert.Equal((Environment.ProcessId, Environment.ProcessId), SharedSegment.ReadOwners(creator.Path));
    }

    [Fact]
    public void A_foreign_file_is_refused_for_its_magic()
    {
        var path = _dir.File("foreign.seg");
        var bytes = new byte[SegmentLayout.FileLength(Capacity)];
        new Random(5).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<SegmentFormatException>(() => SharedSegment.Open(path));
        Assert.Contains("wrong magic number", error.Message);
        Assert.Contains(path, error.Message);
        Assert.Null(SharedSegment.ReadOwners(path));
    }

    [Fact]
    public void A_file_shorter_than_the_header_is_refused_as_truncated()
    {
        var path = _dir.File("short.seg");
        File.WriteAllBytes(path, BitConverter.GetBytes(SegmentLayout.Magic));

        var error = Assert.Throws<SegmentFormatException>(() => SharedSegment.Open(path));
        Assert.Contains("truncated: 8 bytes", error.Message);
    }

    [Fact]
    public void A_file_cut_short_of_its_rings_is_refused_as_truncated()
    {
        var path = CreateValid("cut.seg");
        using (var stream = new FileStream(path, FileMode.Open)) stream.SetLength(SegmentLayout.HeaderBytes + Capacity);

        var error = Assert.Throws<SegmentFormatException>(() => SharedSegment.Open(path));
        Assert.Contains($"truncated: {SegmentLayout.HeaderBytes + Capacity} bytes", error.Message);
    }

    [Fact]
    public void Another_layout_version_is_refused()
    {
        var path = CreateValid("v.seg");
        Patch(path, SegmentLayout.VersionOffset, BitConverter.GetBytes(99));

        var error = Assert.Throws<SegmentFormatException>(() => SharedSegment.Open(path));
        Assert.Contains("layout version 99", error.Message);
    }

    [Fact]
    public void A_ring_size_that_is_not_a_power_of_two_is_refused()
    {
        var path = CreateValid("size.seg");
        Patch(path, SegmentLayout.CapacityOffset, BitConverter.GetBytes(5000L));

        var error = Assert.Throws<SegmentFormatException>(() => SharedSegment.Open(path));
        Assert.Contains("ring size 5000", error.Message);
    }

    [Theory]
    [InlineData(0L, 8L)]       // consumer ahead of producer
    [InlineData(8192L, 0L)]    // more unread than the ring holds
    [InlineData(12L, 0L)]      // not on a record boundary
    [InlineData(-8L, -16L)]    // negative
    public void Impossible_ring_positions_are_refused(long producer, long consumer)
    {
        var path = CreateValid("pos.seg");
        var control = SegmentLayout.ControlOffset(1);
        Patch(path, control + SegmentLayout.ProducerPositionOffset, BitConverter.GetBytes(producer));
        Patch(path, control + SegmentLayout.ConsumerPositionOffset, BitConverter.GetBytes(consumer));

        var error = Assert.Throws<SegmentFormatException>(() => SharedSegment.Open(path));
        Assert.Contains($"impossible positions in ring 1: producer {producer}, consumer {consumer}", error.Message);
    }

    [Fact]
    public void A_missing_file_is_an_ordinary_file_not_found()
    {
        Assert.Throws<FileNotFoundException>(() => SharedSegment.Open(_dir.File("missing.seg")));
    }

    private string CreateValid(string name)
    {
        using var segment = SharedSegment.Create(_dir.File(name), Capacity, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return segment.Path;
    }

    private static void Patch(string path, long offset, byte[] bytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        stream.Position = offset;
        stream.Write(bytes);
    }

    public void Dispose() => _dir.Dispose();
}
