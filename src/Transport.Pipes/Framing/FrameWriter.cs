using System.Threading.Channels;

namespace XStateNet.Actors.Transport.Pipes.Framing;

/// <summary>
/// The outgoing side of a connection: any thread may <see cref="TryEnqueue"/> without blocking; one writer loop
/// drains everything queued into a reused batch buffer and writes it with one call, so a burst of small frames
/// costs one system call. The bytes queued but not yet written are bounded: past the bound
/// <see cref="TryEnqueue"/> refuses, which Akka's endpoint writer treats as "not now, retry".
/// </summary>
internal sealed class FrameWriter
{
    private readonly Stream _stream;
    private readonly byte[] _batch;
    private readonly long _maximumPending;
    private readonly Channel<ReadOnlyMemory<byte>> _queue = Channel.CreateUnbounded<ReadOnlyMemory<byte>>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });
    private long _pending;
    private int _goodbyeQueued;

    public FrameWriter(Stream stream, int batchSize, long maximumPending)
    {
        _stream = stream;
        _batch = new byte[Math.Max(batchSize, FrameHeader.Size * 2)];
        _maximumPending = maximumPending;
    }

    /// <summary>Bytes queued and not yet handed to the pipe.</summary>
    public long PendingBytes => Interlocked.Read(ref _pending);

    /// <summary>
    /// Queues one payload frame. False when the bound of pending bytes would be passed (a frame is always accepted
    /// into an empty queue, so any frame up to the maximum size gets through) or the writer is closing.
    /// </summary>
    public bool TryEnqueue(ReadOnlyMemory<byte> payload)
    {
        var size = payload.Length + FrameHeader.Size;
        var after = Interlocked.Add(ref _pending, size);
        if ((after > _maximumPending && after != size) || Volatile.Read(ref _goodbyeQueued) != 0)
        {
            Interlocked.Add(ref _pending, -size);
            return false;
        }

        if (_queue.Writer.TryWrite(payload)) return true;
        Interlocked.Add(ref _pending, -size);
        return false;
    }

    /// <summary>Writes a ready-made control frame (a hello) ahead of any queued payload; used before the loop starts.</summary>
    public ValueTask WriteRawAsync(byte[] frame, CancellationToken cancellationToken) =>
        _stream.WriteAsync(frame, cancellationToken);

    /// <summary>
    /// Queues the goodbye frame after everything already queued and stops taking payloads: the loop writes what is
    /// pending, the goodbye, and ends. Safe to call many times.
    /// </summary>
    public void CompleteWithGoodbye()
    {
        if (Interlocked.Exchange(ref _goodbyeQueued, 1) != 0) return;
        _queue.Writer.TryComplete();
    }

    /// <summary>Stops without a goodbye: the connection is already unusable.</summary>
    public void Abort() => _queue.Writer.TryComplete();

    /// <summary>The writer loop. Ends after the goodbye is written, or throws when the pipe breaks.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var used = 0;
            long drained = 0;
            while (reader.TryRead(out var payload))
            {
                var size = FrameHeader.Size + payload.Length;
                drained += size;
                if (used + size > _batch.Length && used > 0)
                {
                    await _stream.WriteAsync(_batch.AsMemory(0, used), cancellationToken).ConfigureAwait(false);
                    used = 0;
                }

                FrameHeader.Write(_batch.AsSpan(used), FrameKind.Payload, payload.Length);
                used += FrameHeader.Size;
                if (size <= _batch.Length)
                {
                    payload.Span.CopyTo(_batch.AsSpan(used));
                    used += payload.Length;
                }
                else
                {
                    // Too big to batch: its header alone, then the payload from where it lies.
                    await _stream.WriteAsync(_batch.AsMemory(0, used), cancellationToken).ConfigureAwait(false);
                    used = 0;
                    await _stream.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
                }
            }

            if (used > 0)
                await _stream.WriteAsync(_batch.AsMemory(0, used), cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _pending, -drained);
        }

        if (Volatile.Read(ref _goodbyeQueued) != 0)
        {
            FrameHeader.Write(_batch, FrameKind.Goodbye, 0);
            await _stream.WriteAsync(_batch.AsMemory(0, FrameHeader.Size), cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
