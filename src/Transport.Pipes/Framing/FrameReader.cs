using System.Runtime.InteropServices;
using XStateNet.Actors.Transport.Pipes.Sockets;

namespace XStateNet.Actors.Transport.Pipes.Framing;

/// <summary>
/// Cuts a byte stream into frames. Reads in large chunks into one reused buffer, so a burst of small frames costs
/// one system call; each payload is copied once, into an array of exactly its size that is then handed on.
/// A payload larger than the buffer is read straight into its own array.
/// </summary>
/// <remarks>
/// Not thread-safe: one read loop per connection owns it. A connection starts with a reader just big enough for a
/// hello (see <see cref="ForHello"/>) and enlarges it once the peer is known (<see cref="Enlarge"/>): a connection
/// that never says hello costs a kilobyte, not the full read buffer.
/// </remarks>
internal sealed class FrameReader(Stream stream, int maximumPayload, int bufferSize)
{
    private Stream _stream = stream;
    private byte[] _buffer = new byte[Math.Max(bufferSize, FrameHeader.Size + FrameHeader.MaxControlPayload)];
    private readonly int _maximumPayload = maximumPayload;
    private int _start;
    private int _end;

    /// <summary>A reader with the smallest buffer, for a connection's hello; <see cref="Enlarge"/> it afterwards.</summary>
    public static FrameReader ForHello(Stream stream, int maximumPayload) => new(stream, maximumPayload, 0);

    /// <summary>The size of the buffer now.</summary>
    public int BufferSize => _buffer.Length;

    /// <summary>
    /// Grows the buffer to <paramref name="bufferSize"/>, keeping what is buffered (the peer may have sent frames
    /// right behind its hello).
    /// </summary>
    public void Enlarge(int bufferSize)
    {
        if (bufferSize <= _buffer.Length) return;
        var larger = new byte[bufferSize];
        _buffer.AsSpan(_start, _end - _start).CopyTo(larger);
        _end -= _start;
        _start = 0;
        _buffer = larger;
    }

    /// <summary>
    /// The first frame of a connection, which must be a hello: its header is checked before anything is allocated
    /// for it, so a stranger cannot make an unidentified connection allocate a payload of maximum-frame-size.
    /// </summary>
    /// <exception cref="FrameFormatException">Anything but a hello header comes first, or the stream ends inside it.</exception>
    public async ValueTask<Frame> ReadHelloAsync(CancellationToken cancellationToken)
    {
        if (_end - _start < FrameHeader.Size && !await FillAsync(FrameHeader.Size, cancellationToken).ConfigureAwait(false))
            return Frame.EndOfStream;
        var kind = (FrameKind)_buffer[_start + 4];
        if (kind != FrameKind.Hello)
        {
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_start));
            throw new FrameFormatException(
                $"expected a hello frame first, got a header of kind 0x{(byte)kind:x2} announcing {length} bytes");
        }

        return await ReadAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The next frame, or <see cref="Frame.EndOfStream"/> when the stream ends between frames.
    /// Completes synchronously while buffered frames remain.
    /// </summary>
    /// <exception cref="FrameFormatException">Bad header, or the stream ended inside a frame.</exception>
    public async ValueTask<Frame> ReadAsync(CancellationToken cancellationToken)
    {
        if (TryReadBuffered(out var whole)) return whole;
        if (_end - _start < FrameHeader.Size && !await FillAsync(FrameHeader.Size, cancellationToken).ConfigureAwait(false))
            return Frame.EndOfStream;

        var (kind, length) = FrameHeader.Read(_buffer.AsSpan(_start, FrameHeader.Size), _maximumPayload);
        _start += FrameHeader.Size;

        var payload = length == 0 ? [] : GC.AllocateUninitializedArray<byte>(length);
        var buffered = Math.Min(length, _end - _start);
        _buffer.AsSpan(_start, buffered).CopyTo(payload);
        _start += buffered;

        var filled = buffered;
        if (filled < length && length - filled >= _buffer.Length / 2)
        {
            // Large remainder: read it straight into the payload, no second copy.
            while (filled < length)
            {
                var read = await _stream.ReadAsync(payload.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (read == 0) throw Truncated(kind, length, filled);
                filled += read;
            }
        }
        else if (filled < length)
        {
            if (!await FillAsync(length - filled, cancellationToken).ConfigureAwait(false))
                throw Truncated(kind, length, filled);
            _buffer.AsSpan(_start, length - filled).CopyTo(payload.AsSpan(filled));
            _start += length - filled;
        }

        return new Frame(kind, payload);
    }

    /// <summary>The next frame when it is already complete in the buffer; reads nothing from the stream.</summary>
    /// <exception cref="FrameFormatException">Bad header.</exception>
    public bool TryReadBuffered(out Frame frame)
    {
        frame = default;
        var buffered = _end - _start;
        if (buffered < FrameHeader.Size) return false;
        var (kind, length) = FrameHeader.Read(_buffer.AsSpan(_start, FrameHeader.Size), _maximumPayload);
        if (buffered - FrameHeader.Size < length) return false;

        var payload = length == 0 ? [] : GC.AllocateUninitializedArray<byte>(length);
        _buffer.AsSpan(_start + FrameHeader.Size, length).CopyTo(payload);
        _start += FrameHeader.Size + length;
        frame = new Frame(kind, payload);
        return true;
    }

    /// <summary>
    /// Appends what the socket under the stream already holds, without waiting (see <see cref="PipeSocket.Receive"/>):
    /// the bytes read, 0 when none are ready or the buffer is full, -1 when the peer has closed its side.
    /// </summary>
    public int ReceiveAvailable(SafeHandle socket)
    {
        Compact();
        if (_end == _buffer.Length) return 0;
        var read = PipeSocket.Receive(socket, _buffer.AsSpan(_end));
        if (read > 0) _end += read;
        return read;
    }

    /// <summary>Whether the buffer is full without holding a whole frame: only a read that waits can go on.</summary>
    public bool IsFull => _start == 0 && _end == _buffer.Length;

    /// <summary>Reads from now on through <paramref name="source"/> (the same bytes, another way of waiting for them).</summary>
    public void SwitchTo(Stream source) => _stream = source;

    /// <summary>Reads until at least <paramref name="needed"/> bytes are buffered; false on end of stream.</summary>
    private async ValueTask<bool> FillAsync(int needed, CancellationToken cancellationToken)
    {
        Compact();
        while (_end < needed)
        {
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                if (_end == 0) return false;
                throw new FrameFormatException($"stream ended inside a frame header or payload ({_end} bytes pending)");
            }

            _end += read;
        }

        return true;
    }

    private static FrameFormatException Truncated(FrameKind kind, int length, int filled) =>
        new($"stream ended inside a {kind} frame: {filled} of {length} bytes received");

    private void Compact()
    {
        if (_start == 0) return;
        var available = _end - _start;
        _buffer.AsSpan(_start, available).CopyTo(_buffer);
        _start = 0;
        _end = available;
    }
}
