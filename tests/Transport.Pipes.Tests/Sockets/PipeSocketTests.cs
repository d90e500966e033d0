using System.IO.Pipes;
using XStateNet.Actors.Transport.Pipes.Framing;
using XStateNet.Actors.Transport.Pipes.Sockets;
using static XStateNet.Actors.Transport.Pipes.Tests.Framing.FrameReaderTests;

namespace XStateNet.Actors.Transport.Pipes.Tests.Sockets;

/// <summary>The direct socket calls under hot and blocking reads, over a real pipe (a Unix domain socket on Linux).</summary>
public sealed class PipeSocketTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), PipeNodes.UniquePrefix() + "sock");
    private NamedPipeServerStream _server = null!;
    private NamedPipeClientStream _client = null!;

    public async Task InitializeAsync()
    {
        _server = new NamedPipeServerStream(_path, PipeDirection.InOut, 1, PipeTransmissionMode.Byte, PipeOptions.Asynchronous);
        _client = new NamedPipeClientStream(".", _path, PipeDirection.InOut, PipeOptions.Asynchronous);
        var accepted = _server.WaitForConnectionAsync();
        await _client.ConnectAsync(10_000);
        await accepted;
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        _server.Dispose();
        File.Delete(_path);
        return Task.CompletedTask;
    }

    [Fact]
    public void Receive_tells_nothing_ready_from_bytes_from_the_end_of_the_stream()
    {
        Assert.True(PipeSocket.IsSupported, "these tests run on Linux");
        var buffer = new byte[16];

        Assert.Equal(0, PipeSocket.Receive(_server.SafePipeHandle, buffer));

        _client.Write([1, 2, 3]);
        Assert.True(PipeSocket.WaitReadable(_server.SafePipeHandle, 10_000));
        Assert.Equal(3, PipeSocket.Receive(_server.SafePipeHandle, buffer));
        Assert.Equal(new byte[] { 1, 2, 3 }, buffer[..3]);

        _client.Dispose();
        Assert.True(PipeSocket.WaitReadable(_server.SafePipeHandle, 10_000));
        Assert.Equal(-1, PipeSocket.Receive(_server.SafePipeHandle, buffer));
    }

    [Fact]
    public void Waiting_for_bytes_that_do_not_come_times_out()
    {
        Assert.False(PipeSocket.WaitReadable(_server.SafePipeHandle, 20));
    }

    [Fact]
    public void A_closed_handle_is_refused_rather_than_read()
    {
        var handle = _server.SafePipeHandle;
        _server.Dispose();
        Assert.Throws<ObjectDisposedException>(() => PipeSocket.Receive(handle, new byte[4]));
    }

    [Fact]
    public void Frames_are_handed_out_only_once_complete_whatever_pieces_the_socket_holds()
    {
        var reader = new FrameReader(_server, 64 * 1024, 4096);
        var bytes = Concat(Frame(FrameKind.Payload, [7, 8, 9]), Frame(FrameKind.Payload, new byte[1000]));

        _client.Write(bytes.AsSpan(0, 6));
        ReceiveEverythingSent(reader, 6);
        Assert.False(reader.TryReadBuffered(out _));

        _client.Write(bytes.AsSpan(6, 500));
        ReceiveEverythingSent(reader, 500);
        Assert.True(reader.TryReadBuffered(out var first));
        Assert.Equal(new byte[] { 7, 8, 9 }, first.Payload);
        Assert.False(reader.TryReadBuffered(out _));

        _client.Write(bytes.AsSpan(506));
        ReceiveEverythingSent(reader, bytes.Length - 506);
        Assert.True(reader.TryReadBuffered(out var second));
        Assert.Equal(1000, second.Payload.Length);
        Assert.Equal(0, reader.ReceiveAvailable(_server.SafePipeHandle));
    }

    [Fact]
    public async Task A_frame_larger_than_the_buffer_fills_it_and_is_finished_by_a_waiting_read()
    {
        var reader = new FrameReader(_server, 64 * 1024, 4096);
        var payload = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();
        var writing = _client.WriteAsync(Frame(FrameKind.Payload, payload)).AsTask();

        while (!reader.IsFull)
        {
            Assert.True(PipeSocket.WaitReadable(_server.SafePipeHandle, 10_000));
            reader.ReceiveAvailable(_server.SafePipeHandle);
        }

        Assert.False(reader.TryReadBuffered(out _));
        reader.SwitchTo(new BlockingReadStream(_server, _server.SafePipeHandle));
        Assert.Equal(payload, (await reader.ReadAsync(default)).Payload);
        await writing;
    }

    [Fact]
    public void A_blocking_read_over_the_socket_returns_bytes_and_then_the_end_of_the_stream()
    {
        var stream = new BlockingReadStream(_server, _server.SafePipeHandle);
        var buffer = new byte[8];
        _client.Write([5, 6]);

        Assert.Equal(2, stream.Read(buffer));
        _client.Dispose();
        Assert.Equal(0, stream.Read(buffer));
    }

    [Fact]
    public async Task A_blocking_read_that_waits_observes_cancellation()
    {
        var stream = new BlockingReadStream(_server, _server.SafePipeHandle);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Task.Run(() => stream.ReadAsync(new byte[8], cancel.Token).AsTask()).WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private void ReceiveEverythingSent(FrameReader reader, int expected)
    {
        var received = 0;
        while (received < expected)
        {
            Assert.True(PipeSocket.WaitReadable(_server.SafePipeHandle, 10_000));
            received += reader.ReceiveAvailable(_server.SafePipeHandle);
        }
    }
}
