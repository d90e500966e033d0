using System.Buffers.Binary;
using XStateNet.Actors.Transport.Pipes.Framing;

namespace XStateNet.Actors.Transport.Pipes.Tests.Framing;

public sealed class FrameReaderTests
{
    private const int Max = 64 * 1024;

    [Fact]
    public async Task Reads_frames_back_to_back_and_ends_cleanly_between_frames()
    {
        var bytes = Concat(Frame(FrameKind.Payload, [1, 2, 3]), Frame(FrameKind.Goodbye, []), Frame(FrameKind.Payload, [9]));
        var reader = new FrameReader(new MemoryStream(bytes), Max, 4096);

        var first = await reader.ReadAsync(default);
        var second = await reader.ReadAsync(default);
        var third = await reader.ReadAsync(default);
        var end = await reader.ReadAsync(default);

        Assert.Equal(FrameKind.Payload, first.Kind);
        Assert.Equal(new byte[] { 1, 2, 3 }, first.Payload);
        Assert.Equal(FrameKind.Goodbye, second.Kind);
        Assert.Equal(new byte[] { 9 }, third.Payload);
        Assert.Equal(FrameKind.EndOfStream, end.Kind);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Reassembles_frames_whatever_the_chunks_the_stream_delivers(int chunk)
    {
        var random = new Random(chunk);
        var payloads = Enumerable.Range(0, 200).Select(i => RandomBytes(random, random.Next(1, i % 10 == 0 ? 20_000 : 300))).ToList();
        var stream = new ChunkedStream(Concat(payloads.Select(p => Frame(FrameKind.Payload, p)).ToArray()), chunk);
        var reader = new FrameReader(stream, Max, 4096);

        foreach (var expected in payloads)
            Assert.Equal(expected, (await reader.ReadAsync(default)).Payload);
        Assert.Equal(FrameKind.EndOfStream, (await reader.ReadAsync(default)).Kind);
    }

    [Fact]
    public async Task A_payload_of_exactly_the_maximum_size_is_accepted()
    {
        var payload = RandomBytes(new Random(1), Max);
        var reader = new FrameReader(new MemoryStream(Frame(FrameKind.Payload, payload)), Max, 4096);
        Assert.Equal(payload, (await reader.ReadAsync(default)).Payload);
    }

    [Fact]
    public async Task A_length_above_the_maximum_is_refused_before_anything_is_allocated_for_it()
    {
        var reader = new FrameReader(new MemoryStream(Header(FrameKind.Payload, int.MaxValue)), Max, 4096);
        var error = await Assert.ThrowsAsync<FrameFormatException>(() => reader.ReadAsync(default).AsTask());
        Assert.Contains("exceeds maximum-frame-size", error.Message);
    }

    [Fact]
    public async Task A_negative_length_is_refused()
    {
        var reader = new FrameReader(new MemoryStream(Header(FrameKind.Payload, -5)), Max, 4096);
        var error = await Assert.ThrowsAsync<FrameFormatException>(() => reader.ReadAsync(default).AsTask());
        Assert.Contains("negative frame length", error.Message);
    }

    [Fact]
    public async Task An_unknown_kind_is_refused()
    {
        var reader = new FrameReader(new MemoryStream(Header((FrameKind)0x7f, 3)), Max, 4096);
        var error = await Assert.ThrowsAsync<FrameFormatException>(() => reader.ReadAsync(default).AsTask());
        Assert.Contains("unknown frame kind 0x7f", error.Message);
    }

    [Fact]
    public async Task A_control_frame_announcing_a_large_payload_is_refused()
    {
        var reader = new FrameReader(new MemoryStream(Header(FrameKind.Hello, 50_000)), Max, 4096);
        await Assert.ThrowsAsync<FrameFormatException>(() => reader.ReadAsync(default).AsTask());
    }

    [Theory]
    [InlineData(3)]     // inside the header
    [InlineData(10)]    // inside a small payload
    public async Task A_stream_cut_inside_a_frame_is_refused(int keep)
    {
        var bytes = Frame(FrameKind.Payload, new byte[100]).AsSpan(0, keep).ToArray();
        var reader = new FrameReader(new MemoryStream(bytes), Max, 4096);
        var error = await Assert.ThrowsAsync<FrameFormatException>(() => reader.ReadAsync(default).AsTask());
        Assert.Contains("ended inside", error.Message);
    }

    [Fact]
    public async Task A_stream_cut_inside_a_large_payload_is_refused()
    {
        var bytes = Frame(FrameKind.Payload, new byte[50_000]).AsSpan(0, 30_000).ToArray();
        var reader = new FrameReader(new MemoryStream(bytes), Max, 4096);
        var error = await Assert.ThrowsAsync<FrameFormatException>(() => reader.ReadAsync(default).AsTask());
        Assert.Contains("ended inside", error.Message);
    }

    [Fact]
    public async Task Only_a_frame_complete_in_the_buffer_is_taken_without_reading()
    {
        var bytes = Concat(Frame(FrameKind.Payload, [1, 2]), Frame(FrameKind.Payload, [3, 4, 5]));
        var reader = new FrameReader(new ChunkedStream(bytes, 9), Max, 4096);

        Assert.False(reader.TryReadBuffered(out _));
        Assert.Equal(new byte[] { 1, 2 }, (await reader.ReadAsync(default)).Payload);
        Assert.False(reader.TryReadBuffered(out _));    // two bytes of the second frame's header are buffered
        Assert.Equal(new byte[] { 3, 4, 5 }, (await reader.ReadAsync(default)).Payload);
    }

    [Fact]
    public async Task A_bad_header_in_the_buffer_is_refused_without_reading_further()
    {
        var reader = new FrameReader(new ChunkedStream(Concat(Frame(FrameKind.Payload, [1]), Header((FrameKind)0x55, 1)), 100), Max, 4096);
        Assert.Equal(new byte[] { 1 }, (await reader.ReadAsync(default)).Payload);

        var error = Assert.Throws<FrameFormatException>(() => reader.TryReadBuffered(out _));
        Assert.Contains("unknown frame kind 0x55", error.Message);
    }

    internal static byte[] Frame(FrameKind kind, byte[] payload) => Concat(Header(kind, payload.Length), payload);

    internal static byte[] Header(FrameKind kind, int length)
    {
        var header = new byte[FrameHeader.Size];
        BinaryPrimitives.WriteInt32LittleEndian(header, length);
        header[4] = (byte)kind;
        return header;
    }

    internal static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A stream that hands out at most <c>chunk</c> bytes per read, as a pipe may.</summary>
    internal sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
