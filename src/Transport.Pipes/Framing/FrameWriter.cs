using System.Diagnostics;
using System.Threading.Channels;

namespace XStateNet.Actors.Transport.Pipes.Framing;

/// <summary>
/// The outgoing side of a connection: any thread may <see cref="TryEnqueue"/> without blocking. A small frame on a
/// connection that has been quiet for a while (nothing queued, nobody writing, nothing written for
/// <see cref="QuietBeforeDirectWrite"/>) goes to the pipe at once from the calling thread: a non-blocking send the
/// kernel takes whole, with no wake-up of another thread, which is a large part of a lone message's round trip.
/// Otherwise it is queued, and one writer loop drains everything queued into a reused batch buffer and writes it
/// with one call, so a burst of small frames costs one system call. The bytes queued but not yet written
/// are bounded: past the bound <see cref="TryEnqueue"/> refuses, which Akka's endpoint writer treats as "not now,
/// retry".
/// </summary>
internal sealed class FrameWriter
{
    /// <summary>
    /// How long a connection must have written nothing before a frame skips the queue. Shorter than a round trip,
    /// so a lone request goes out directly; longer than the gap between messages of a burst, which are coalesced.
    /// </summary>
    internal static readonly TimeSpan QuietBeforeDirectWrite = TimeSpan.FromMicroseconds(50);

    private static readonly long QuietTicks = (long)(QuietBeforeDirectWrite.TotalSeconds * Stopwatch.Frequency);

    private readonly Stream _stream;
    private readonly byte[] _batch;
    private readonly byte[] _direct;
    private readonly long _maximumPending;
    private readonly Channel<ReadOnlyMemory<byte>> _queue = Channel.CreateUnbounded<ReadOnlyMemory<byte>>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    // Held by whoever writes to the stream: the loop, or a caller writing directly.
    private readonly SemaphoreSlim _writing = new(1, 1);
    private long _pending;
    private long _lastWriteTicks;
    private int _goodbyeQueued;
    private int _stopped;

    public FrameWriter(Stream stream, int batchSize, long maximumPending)
    {
        _stream = stream;
        _batch = new byte[Math.Max(batchSize, FrameHeader.Size * 2)];
        _direct = new byte[Math.Min(_batch.Length, 4096)];
        _maximumPending = maximumPending;
    }

    /// <summary>Bytes of the writer's own buffers.</summary>
    public int BufferBytes => _batch.Length + _direct.Length;

    /// <summary>Bytes queued and not yet handed to the pipe.</summary>
    public long PendingBytes => Interlocked.Read(ref _pending);

    /// <summary>
    /// Sends or queues one payload frame. False when the bound of pending bytes would be passed (a frame is always
    /// accepted into an empty queue, so any frame up to the maximum size gets through) or the writer is closing.
    /// </summary>
    public bool TryEnqueue(ReadOnlyMemory<byte> payload)
    {
        var size = payload.Length + FrameHeader.Size;
        var after = Interlocked.Add(ref _pending, size);
        if ((after > _maximumPending && after != size) || Volatile.Read(ref _stopped) != 0)
        {
            Interlocked.Add(ref _pending, -size);
            return false;
        }

        // Nothing else pending means nothing queued and nothing being written.
        if (after == size && size <= _direct.Length && IsQuiet() && _writing.Wait(0))
            return WriteDirect(payload, size);

        if (_queue.Writer.TryWrite(payload)) return true;
        Interlocked.Add(ref _pending, -size);
        return false;
    }

    /// <summary>
    /// Queues the goodbye frame after everything already queued and stops taking payloads: the loop writes what is
    /// pending, the goodbye, and ends. Safe to call many times.
    /// </summary>
    public void CompleteWithGoodbye()
    {
        if (Interlocked.Exchange(ref _goodbyeQueued, 1) != 0) return;
        Volatile.Write(ref _stopped, 1);
        _queue.Writer.TryComplete();
    }

    /// <summary>Stops without a goodbye: the connection is already unusable.</summary>
    public void Abort()
    {
        Volatile.Write(ref _stopped, 1);
        _queue.Writer.TryComplete();
    }

    /// <summary>The writer loop. Ends after the goodbye is written, or throws when the pipe breaks.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await DrainAsync(reader, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _writing.Release();
            }
        }

        // Under the gate: a direct write still in flight finishes before the goodbye, and none follows it.
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _goodbyeQueued) != 0)
            {
                FrameHeader.Write(_batch, FrameKind.Goodbye, 0);
                await _stream.WriteAsync(_batch.AsMemory(0, FrameHeader.Size), cancellationToken).ConfigureAwait(false);
                await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    private bool WriteDirect(ReadOnlyMemory<byte> payload, int size)
    {
        // Checked again under the gate: once the goodbye is queued, nothing may follow it.
        if (Volatile.Read(ref _stopped) != 0)
        {
            _writing.Release();
            Interlocked.Add(ref _pending, -size);
            return false;
        }

        FrameHeader.Write(_direct, FrameKind.Payload, payload.Length);
        payload.Span.CopyTo(_direct.AsSpan(FrameHeader.Size));
        try
        {
            var write = _stream.WriteAsync(_direct.AsMemory(0, size));
            if (!write.IsCompleted)
            {
                _ = FinishDirectAsync(write, size);
                return true;
            }

            write.GetAwaiter().GetResult();
        }
        catch
        {
            // The pipe broke or was closed under us: the read loop reports that to Akka. The frame counts as taken,
            // like one queued on a pipe that then breaks; Write must not throw.
        }

        Done(size);
        return true;
    }

    private async Task FinishDirectAsync(ValueTask write, int size)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch
        {
            // As above: a broken pipe is the read loop's to report.
        }
        finally
        {
            Done(size);
        }
    }

    private void Done(int size)
    {
        Interlocked.Add(ref _pending, -size);
        Volatile.Write(ref _lastWriteTicks, Stopwatch.GetTimestamp());
        _writing.Release();
    }

    private bool IsQuiet() =>
        Stopwatch.GetTimestamp() - Volatile.Read(ref _lastWriteTicks) > QuietTicks;

    private async Task DrainAsync(ChannelReader<ReadOnlyMemory<byte>> reader, CancellationToken cancellationToken)
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
        Volatile.Write(ref _lastWriteTicks, Stopwatch.GetTimestamp());
    }
}
