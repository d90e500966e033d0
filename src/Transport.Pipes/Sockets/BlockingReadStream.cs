using System.Runtime.InteropServices;

namespace XStateNet.Actors.Transport.Pipes.Sockets;

/// <summary>
/// Turns a stream's asynchronous reads into blocking ones that complete synchronously. A read loop on a thread of
/// its own then wakes straight from the kernel when bytes arrive, instead of through the I/O poller and a hop to the
/// thread pool: that hop is a large part of a small message's round trip. Closing the stream unblocks the read.
/// </summary>
/// <remarks>
/// With the pipe's socket (Linux), reads wait in <see cref="PipeSocket.WaitReadable"/> rather than in the stream,
/// whose blocking reads on a socket .NET has made non-blocking are signalled through the I/O poller thread.
/// </remarks>
internal sealed class BlockingReadStream(Stream inner, SafeHandle? socket = null) : Stream
{
    // How often a wait in poll looks at the cancellation token; disposing the pipe shuts the socket down, which ends
    // the wait at once, and this bounds it where that does not happen.
    private const int WaitSliceMs = 200;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count), CancellationToken.None);

    public override int Read(Span<byte> buffer) => Read(buffer, CancellationToken.None);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(Read(buffer.Span, cancellationToken));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Read(Span<byte> buffer, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (socket is null) return inner.Read(buffer);
        if (buffer.IsEmpty) return 0;
        while (true)
        {
            var read = PipeSocket.Receive(socket, buffer);
            if (read != 0) return Math.Max(read, 0);
            PipeSocket.WaitReadable(socket, WaitSliceMs);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
