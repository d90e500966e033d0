using XStateNet.Actors.Transport.Pipes.Framing;

namespace XStateNet.Actors.Transport.Pipes.Tests.Framing;

public sealed class FrameWriterTests
{
    [Fact]
    public async Task Queued_frames_are_coalesced_into_few_writes_and_read_back_in_order()
    {
        var sink = new CountingStream();
        var writer = new FrameWriter(sink, 64 * 1024, 16 * 1024 * 1024);
        for (var i = 0; i < 1000; i++)
            Assert.True(writer.TryEnqueue(BitConverter.GetBytes(i)));
        writer.CompleteWithGoodbye();

        await writer.RunAsync(default);

        Assert.True(sink.Writes < 10, $"{sink.Writes} writes for 1000 frames");
        Assert.Equal(0, writer.PendingBytes);
        var reader = new FrameReader(new MemoryStream(sink.ToArray()), 1024, 4096);
        for (var i = 0; i < 1000; i++)
            Assert.Equal(i, BitConverter.ToInt32((await reader.ReadAsync(default)).Payload));
        Assert.Equal(FrameKind.Goodbye, (await reader.ReadAsync(default)).Kind);
        Assert.Equal(FrameKind.EndOfStream, (await reader.ReadAsync(default)).Kind);
    }

    [Fact]
    public async Task A_payload_larger_than_the_batch_buffer_goes_out_whole()
    {
        var sink = new CountingStream();
        var writer = new FrameWriter(sink, 4096, 1024 * 1024);
        var big = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();
        writer.TryEnqueue(new byte[] { 1 });
        writer.TryEnqueue(big);
        writer.TryEnqueue(new byte[] { 2 });
        writer.CompleteWithGoodbye();

        await writer.RunAsync(default);

        var reader = new FrameReader(new MemoryStream(sink.ToArray()), 200_000, 4096);
        Assert.Equal(new byte[] { 1 }, (await reader.ReadAsync(default)).Payload);
        Assert.Equal(big, (await reader.ReadAsync(default)).Payload);
        Assert.Equal(new byte[] { 2 }, (await reader.ReadAsync(default)).Payload);
    }

    [Fact]
    public void Past_the_bound_of_pending_bytes_writes_are_refused_until_the_queue_drains()
    {
        var writer = new FrameWriter(new CountingStream(), 4096, 1000);

        Assert.True(writer.TryEnqueue(new byte[5000])); // an empty queue takes any frame
        Assert.False(writer.TryEnqueue(new byte[1]));
        Assert.Equal(5000 + FrameHeader.Size, writer.PendingBytes);
    }

    [Fact]
    public void After_the_goodbye_no_payload_is_taken()
    {
        var writer = new FrameWriter(new CountingStream(), 4096, 1000);
        writer.CompleteWithGoodbye();
        Assert.False(writer.TryEnqueue(new byte[1]));
        Assert.Equal(0, writer.PendingBytes);
    }

    [Fact]
    public async Task Enqueuing_from_many_threads_loses_nothing_and_keeps_each_threads_order()
    {
        var sink = new CountingStream();
        var writer = new FrameWriter(sink, 8192, long.MaxValue);
        var running = Task.Run(() => writer.RunAsync(default));
        var producers = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
                Assert.True(writer.TryEnqueue(new[] { (byte)t, (byte)(i >> 8), (byte)i }));
        })).ToArray();
        await Task.WhenAll(producers);
        writer.CompleteWithGoodbye();
        await running;

        var reader = new FrameReader(new MemoryStream(sink.ToArray()), 16, 4096);
        var next = new int[4];
        for (var n = 0; n < 40_000; n++)
        {
            var p = (await reader.ReadAsync(default)).Payload;
            Assert.Equal((byte)next[p[0]], p[2]);
            next[p[0]]++;
        }

        Assert.All(next, count => Assert.Equal(10_000, count));
    }

    [Fact]
    public async Task A_lone_frame_on_a_quiet_connection_is_written_at_once_by_the_caller()
    {
        var sink = new CountingStream();
        var writer = new FrameWriter(sink, 4096, 1024 * 1024);

        Assert.True(writer.TryEnqueue(new byte[] { 7, 8, 9 }));

        // No writer loop runs: the caller's own thread put the frame on the stream.
        Assert.Equal(1, sink.Writes);
        Assert.Equal(0, writer.PendingBytes);
        var reader = new FrameReader(new MemoryStream(sink.ToArray()), 16, 4096);
        Assert.Equal(new byte[] { 7, 8, 9 }, (await reader.ReadAsync(default)).Payload);
    }

    [Fact]
    public async Task A_frame_that_cannot_go_out_at_once_holds_back_the_goodbye_until_it_has()
    {
        var sink = new GatedStream();
        var writer = new FrameWriter(sink, 4096, 1024 * 1024);
        Assert.True(writer.TryEnqueue(new byte[] { 1 }));   // direct, and stuck in the kernel, as it were
        writer.CompleteWithGoodbye();
        Assert.False(writer.TryEnqueue(new byte[] { 2 }));

        var running = writer.RunAsync(default);
        await Task.Delay(50);
        Assert.False(running.IsCompleted);
        sink.Open();
        await running;

        var reader = new FrameReader(new MemoryStream(sink.ToArray()), 16, 4096);
        Assert.Equal(new byte[] { 1 }, (await reader.ReadAsync(default)).Payload);
        Assert.Equal(FrameKind.Goodbye, (await reader.ReadAsync(default)).Kind);
        Assert.Equal(FrameKind.EndOfStream, (await reader.ReadAsync(default)).Kind);
    }

    [Fact]
    public async Task A_stream_that_throws_on_a_direct_write_neither_throws_at_the_caller_nor_keeps_the_writer_busy()
    {
        var writer = new FrameWriter(new ThrowingStream(), 4096, 1024 * 1024);

        Assert.True(writer.TryEnqueue(new byte[] { 1 }));

        Assert.Equal(0, writer.PendingBytes);
        writer.CompleteWithGoodbye();
        // The loop gets the gate back and fails on the goodbye instead of waiting forever.
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.RunAsync(default).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private sealed class ThrowingStream : MemoryStream
    {
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the pipe is not connected");
    }

    /// <summary>A stream whose first write does not complete until <see cref="Open"/>.</summary>
    private sealed class GatedStream : MemoryStream
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _first = true;

        public void Open() => _open.SetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var copy = buffer.ToArray();
            if (_first)
            {
                _first = false;
                await _open.Task.WaitAsync(cancellationToken);
            }
            lock (this) Write(copy);
        }
    }

    private sealed class CountingStream : MemoryStream
    {
        public int Writes { get; private set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes++;
            return base.WriteAsync(buffer, cancellationToken);
        }
    }
}
