using XStateNet.Actors.Transport.SharedMemory.Ring;
using XStateNet.Actors.Tests.Shared;

namespace XStateNet.Actors.Transport.SharedMemory.Tests.Ring;

/// <summary>A full ring pushes back without losing anything; a record that can never fit is refused.</summary>
public sealed class RingBoundaryTests : IDisposable
{
    private const long Capacity = 4096;
    private readonly TempShmDirectory _dir = new();
    private readonly SharedSegment _creator;
    private readonly SharedSegment _acceptor;

    public RingBoundaryTests()
    {
        _creator = TestSegments.Create(Capacity);
        _acceptor = TestSegments.OpenAsPeer(_creator);
    }

    [Fact]
    public void A_full_ring_refuses_writes_until_the_reader_frees_space_and_loses_nothing()
    {
        var writer = _creator.CreateWriter();
        var reader = _acceptor.CreateReader();
        var payload = new byte[100];
        var written = 0;
        while (writer.TryWrite(Stamp(payload, written))) written++;

        Assert.Equal(Capacity / 112, written); // 8-byte header + 100 bytes, aligned to 112
        Assert.False(writer.TryWrite(payload));
        Assert.False(writer.TryWrite(payload));

        var collector = new Collector();
        Assert.Equal(1, reader.Drain(collector, 1));
        Assert.True(writer.TryWrite(Stamp(payload, written)));
        written++;

        while (reader.Drain(collector, 1000) > 0)
        {
        }

        Assert.Equal(Enumerable.Range(0, written), collector.Stamps);
    }

    [Fact]
    public void A_record_as_large_as_the_ring_allows_fits_an_empty_ring_after_wrap_padding()
    {
        var writer = _creator.CreateWriter();
        var reader = _acceptor.CreateReader();
        var collector = new Collector();
        Assert.True(writer.TryWrite(new byte[24]));
        Assert.Equal(1, reader.Drain(collector, 10));

        var largest = new byte[writer.MaxPayload];
        Stamp(largest, 42);
        // The write position is not at 0: the record needs a padding record first, then the whole ring.
        Assert.False(writer.TryWrite(largest));
        Assert.Equal(0, reader.Drain(collector, 10)); // consumes the padding only
        Assert.True(writer.TryWrite(largest));
        Assert.Equal(1, reader.Drain(collector, 10));
        Assert.Equal([0, 42], collector.Stamps);
        Assert.Equal(largest.Length, collector.LastLength);
    }

    [Fact]
    public void A_record_bigger_than_the_ring_is_refused_with_a_clear_error()
    {
        var writer = _creator.CreateWriter();
        var error = Assert.Throws<ArgumentException>(() => writer.TryWrite(new byte[Capacity - 7]));
        Assert.Contains("can never fit a 4096-byte ring", error.Message);
    }

    [Fact]
    public unsafe void A_corrupt_record_length_is_reported_not_followed_outside_the_ring()
    {
        var writer = _creator.CreateWriter();
        Assert.True(writer.TryWrite(new byte[16]));
        TestSegments.Patch(_creator.Descriptor, 4096, BitConverter.GetBytes(int.MaxValue)); // ring 0's first record header

        var reader = _acceptor.CreateReader();
        var error = Assert.Throws<InvalidDataException>(() => reader.Drain(new Collector(), 10));
        Assert.Contains("Corrupt ring record at position 0", error.Message);
    }

    private static byte[] Stamp(byte[] payload, int value)
    {
        BitConverter.TryWriteBytes(payload, value);
        return payload;
    }

    private sealed class Collector : IRingRecordHandler
    {
        public List<int> Stamps { get; } = [];

        public int LastLength { get; private set; }

        public void OnRecord(ReadOnlySpan<byte> payload)
        {
            Stamps.Add(BitConverter.ToInt32(payload));
            LastLength = payload.Length;
        }
    }

    public void Dispose()
    {
        _acceptor.Dispose();
        _creator.Dispose();
        _dir.Dispose();
    }
}
