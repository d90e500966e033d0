using System.IO.Pipes;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Event;
using Akka.Remote.Transport;
using Google.Protobuf;
using XStateNet.Actors.Transport.Pipes.Framing;
using XStateNet.Actors.Transport.Pipes.Sockets;
using XStateNet.Actors.Transport.Telemetry;

namespace XStateNet.Actors.Transport.Pipes.Connections;

/// <summary>
/// One connected pipe: the hello exchange, one read loop that hands whole frames to Akka, one writer loop that
/// coalesces queued frames, and the end of it all: a goodbye when closing on purpose, <see cref="Disassociated"/>
/// to Akka at once when the pipe ends, and a <see cref="PeerLiveness"/> report when it ended because the peer's
/// process died.
/// </summary>
internal sealed class PipeConnection : IWaitingReader, ISameHostAssociation
{
    private readonly PipeStream _stream;
    private readonly PipeTransportSettings _settings;
    private readonly ActorSystem _system;
    private readonly ILoggingAdapter _log;
    private readonly ThrottledLog _throttled;
    private readonly FrameReader _reader;
    // Created once the peer has said hello: until then a connection holds no write buffers.
    private FrameWriter _writer = null!;
    private OutboundLimit _limit = new(int.MaxValue, int.MaxValue);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _closingLocally;
    private bool _goodbyeReceived;
    private IHandleEventListener? _listener;
    private PeerTraffic? _traffic;
    // Created when the connection starts (the peer known), disposed when its read loop ends.
    private PeerMeter? _meter;
    private SafeHandle? _socket;
    private bool _ended;
    private string? _endReason;
    private bool _needsWaitingRead;

    public PipeConnection(PipeStream stream, PipeTransportSettings settings, ActorSystem system, ThrottledLog log, string description)
    {
        _stream = stream;
        _settings = settings;
        _system = system;
        _throttled = log;
        _log = log.Log;
        Description = description;
        // Big enough for a hello only; enlarged to read-buffer-size once the peer has said hello.
        _reader = FrameReader.ForHello(stream, settings.MaximumFrameSize);
    }

    /// <summary>What this connection is, for log lines (the pipe, and the peer once known).</summary>
    public string Description { get; private set; }

    /// <summary>
    /// The peer's hello, once exchanged, with the process id the transport trusts: the kernel's (see
    /// <see cref="ExchangeHelloAsync"/>), 0 when no process id can be trusted.
    /// </summary>
    public Hello Peer { get; private set; }

    /// <summary>Completes when the connection is closed and Akka has been told.</summary>
    public Task Completion => _closed.Task;

    /// <summary>Bytes of read and write buffers this connection holds (small until the peer has said hello).</summary>
    internal int BufferBytes => _reader.BufferSize + (_writer is null ? 0 : _writer.BufferBytes);

    /// <summary>
    /// Sends this side's hello and reads the peer's; then allocates the connection's buffers. The process id the peer
    /// declares is a claim: where the kernel names the process (<paramref name="kernel"/>, <c>SO_PEERCRED</c>), that
    /// pid is used instead, with a warning when the two disagree. Throws <see cref="FrameFormatException"/> when the
    /// peer is not one of ours, or <see cref="TimeoutException"/> when it says nothing in time.
    /// </summary>
    public async Task<Hello> ExchangeHelloAsync(Hello own, PeerCredentials? kernel, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.HelloTimeout);
        Hello declared;
        try
        {
            await _stream.WriteAsync(own.Encode(), timeout.Token).ConfigureAwait(false);
            var frame = await _reader.ReadHelloAsync(timeout.Token).ConfigureAwait(false);
            declared = Hello.Decode(frame, _settings.TransportProtocol);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no hello frame within {_settings.HelloTimeout.TotalMilliseconds:0} ms");
        }

        Peer = declared with { ProcessId = TrustedProcessId(declared, kernel) };
        _limit = new OutboundLimit(_settings.MaximumFrameSize, declared.MaximumFrameSize);
        _reader.Enlarge(_settings.ReadBufferSize);
        _writer = new FrameWriter(_stream, _settings.WriteBatchSize, _settings.OutboundBufferSize);
        Description = $"{Description} with {Peer.ListenAddress} (pid {Peer.ProcessId})";
        return Peer;
    }

    /// <summary>
    /// The kernel's pid of the peer where there is one; the declared pid only where the platform cannot tell (then
    /// nothing better is known). A peer in another pid namespace is pid 0 to the kernel here: no pid can be trusted,
    /// and its death is left to Akka's heartbeats.
    /// </summary>
    private int TrustedProcessId(Hello declared, PeerCredentials? kernel)
    {
        if (kernel is not { } credentials) return declared.ProcessId;
        if (credentials.ProcessId != declared.ProcessId)
        {
            _throttled.Warning("pid-mismatch",
                $"Pipe connection {Description}: the peer {declared.ListenAddress} declares process id {declared.ProcessId} " +
                $"but the kernel says {(credentials.ProcessId == 0 ? "its process is in another pid namespace" : $"it is process {credentials.ProcessId}")}: " +
                "the kernel's word is used for its liveness");
        }

        return credentials.ProcessId;
    }

    /// <summary>Starts the read and write loops for <paramref name="handle"/>; reading waits until Akka registers its listener.</summary>
    public void Start(AssociationHandle handle)
    {
        var writer = _writer;
        _meter = new PeerMeter(_system, _settings.TransportProtocol, handle.RemoteAddress, () => writer.PendingBytes);
        var writing = Task.Run(() => WriteLoopAsync());
        _ = Task.Run(() => ReadLoopAsync(handle, writing));
    }

    /// <summary>
    /// Queues a payload. One larger than either side accepts (the peer said its limit in its hello) would make the peer
    /// close the connection: it is dropped here instead, with an error naming both sizes, and the association stays up, as
    /// Akka does with a payload over this transport's own limit. Senders learn the limit from <see cref="PayloadLimits"/>.
    /// </summary>
    public bool TryWrite(ReadOnlyMemory<byte> payload)
    {
        if (payload.Length <= _limit.Bytes)
        {
            if (_writer.TryEnqueue(payload))
            {
                _meter?.Sent(payload.Length);
                return true;
            }

            // The outbound queue is full (Akka's endpoint writer retries later), unless the connection is closing.
            if (Volatile.Read(ref _closingLocally) == 0) _meter?.BackedOff();
            return false;
        }

        _throttled.Error("peer-oversize", _limit.Refusal(payload.Length, Peer.ListenAddress));
        return true;
    }

    /// <summary>Closes on purpose: what is queued is written, then a goodbye, then the pipe closes. Idempotent.</summary>
    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closingLocally, 1) != 0) return;
        if (_log.IsDebugEnabled) _log.Debug("Closing pipe connection {0}: {1}", Description, reason);
        _writer.CompleteWithGoodbye();
        // If the peer stops reading, the flush must not hang the shutdown.
        _stop.CancelAfter(_settings.ConnectionTimeout);
    }

    /// <summary>Closes at once without goodbye: used when the pipe can no longer be trusted.</summary>
    public void Abort()
    {
        Interlocked.Exchange(ref _closingLocally, 1);
        _writer.Abort();
        _stop.Cancel();
        _stream.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await _writer.RunAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            if (Volatile.Read(ref _closingLocally) == 0 && _log.IsDebugEnabled)
                _log.Debug("Writing to pipe connection {0} failed: {1}", Description, e.Message);
        }
        catch (Exception e)
        {
            _throttled.Error("write-loop", $"Writing to pipe connection {Description} failed unexpectedly: {e.GetType().Name}: {e.Message}");
            Abort();
        }
        finally
        {
            // The goodbye is out (or the pipe is broken): nothing more will be written. Closing the stream ends the
            // read loop too, unless the peer has already closed its side.
            if (Volatile.Read(ref _closingLocally) != 0) _stream.Dispose();
        }
    }

    private async Task ReadLoopAsync(AssociationHandle handle, Task writing)
    {
        string? failure = null;
        try
        {
            var listener = await ReadHandler.WaitAsync(handle, _stop.Token).ConfigureAwait(false);
            if (listener is not null)
            {
                // Bytes arriving tell the failure detector the peer runs, when Akka's heartbeats queue behind them.
                _traffic = PeerLiveness.For(_system).TrackTraffic(handle.RemoteAddress);
                failure = _settings.BlockingReads
                    ? await PumpOnOwnThreadAsync(listener).ConfigureAwait(false)
                    : await PumpAsync(listener).ConfigureAwait(false);
            }
        }
        catch (FrameFormatException e)
        {
            _throttled.Error("bad-input", $"Closing pipe connection {Description}: bad input from the peer: {e.Message}");
            Close("bad input");
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            failure = e.Message;
        }
        catch (Exception e)
        {
            // Not the pipe's doing: still logged, and the connection still ends and is reported, never left hanging.
            _throttled.Error("read-loop", $"Closing pipe connection {Description} after an unexpected {e.GetType().Name}: {e.Message}");
            Close("unexpected error");
        }

        _traffic?.Dispose();
        _meter?.Dispose();
        var peerVanished = failure is not null && Volatile.Read(ref _closingLocally) == 0 && !_goodbyeReceived;
        if (!peerVanished) Close(_goodbyeReceived ? "the peer said goodbye" : "read loop ended");
        else Abort();

        // A peer whose process is gone is reported to Akka as shut down: its endpoint manager then gates the address
        // and stops the old endpoint before the remote watcher quarantines it (see PeerLiveness.CanDeclareDead).
        // Judging comes first, so a live peer's broken pipe reaches Akka up to peer-exit-grace later.
        var peerGone = false;
        try
        {
            peerGone = peerVanished && await JudgePeerExitAsync(handle, failure!).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _log.Warning("Could not judge whether the peer of pipe connection {0} exited: {1}", Description, e.Message);
        }

        // A gone peer has been reported, Akka told included; any other end is told to Akka here.
        if (!peerGone) DisassociationNotice.Send(handle, DisassociateInfo.Unknown);

        await Task.WhenAny(writing, Task.Delay(_settings.ConnectionTimeout)).ConfigureAwait(false);
        _stream.Dispose();
        _closed.TrySetResult();
    }

    /// <summary>
    /// Reads on a thread of its own (<see cref="ReaderThread"/>) over blocking reads: the thread sleeps in the kernel
    /// and wakes as bytes arrive. After each message the reading moves to the thread pool for <c>hot-read-window</c>
    /// (see <see cref="HotReadPump"/>). Returns why the stream ended when that was not a goodbye.
    /// </summary>
    private Task<string?> PumpOnOwnThreadAsync(IHandleEventListener listener)
    {
        _socket = PipeSocket.IsSupported ? _stream.SafePipeHandle : null;
        _reader.SwitchTo(new BlockingReadStream(_stream, _socket));
        _listener = listener;
        // Hot reads need the socket (Linux); a zero window is the pump's own business (it then does nothing).
        var hot = new HotReadPump(this, _socket is null ? TimeSpan.Zero : _settings.HotReadWindow);
        return ReaderThread.Start("pipe-reader " + Peer.ListenAddress, () =>
        {
            ReaderThread.Pump(this, hot);
            return _endReason;
        });
    }

    /// <inheritdoc />
    /// <remarks>
    /// Over the blocking stream every await in <see cref="FrameReader.ReadAsync"/> completes synchronously, so this
    /// sleeps in the kernel. Also the read that follows a hand-back: a frame larger than the buffer, or the end of the
    /// stream or the closed pipe, which it then sees.
    /// </remarks>
    bool IWaitingReader.ReadWaiting()
    {
        if (_ended) return false;
        _needsWaitingRead = false;
        return Deliver(_reader.ReadAsync(_stop.Token).GetAwaiter().GetResult());
    }

    /// <summary>Hands frames to Akka until the stream ends, without a thread of its own (blocking-reads = off).</summary>
    private async Task<string?> PumpAsync(IHandleEventListener listener)
    {
        _listener = listener;
        while (Deliver(await _reader.ReadAsync(_stop.Token).ConfigureAwait(false)))
        {
        }

        return _endReason;
    }

    /// <summary>Hands one frame to Akka; false when the frame ends the connection (then <see cref="_endReason"/> says why).</summary>
    private bool Deliver(Frame frame)
    {
        _traffic?.Heard();
        switch (frame.Kind)
        {
            case FrameKind.Payload:
                // The array is this frame's alone: wrapping it is safe and copies nothing.
                _listener!.Notify(new InboundPayload(UnsafeByteOperations.UnsafeWrap(frame.Payload)));
                _meter?.Received(frame.Payload.Length);
                return true;
            case FrameKind.Goodbye:
                _goodbyeReceived = true;
                _endReason = null;
                break;
            case FrameKind.EndOfStream:
                _endReason = "end of stream without goodbye";
                break;
            default:
                throw new FrameFormatException($"unexpected {frame.Kind} frame after the hello");
        }

        _ended = true;
        return false;
    }

    int IPollableReader.ReadAvailable()
    {
        var delivered = 0;
        while (!_ended)
        {
            while (_reader.TryReadBuffered(out var frame))
            {
                delivered++;
                if (!Deliver(frame)) return delivered;
            }

            // Back to the pump with what was found, so the actors just queued run before more is read.
            if (delivered > 0) return delivered;

            // A frame larger than the buffer, or the end of the stream: the reader's own thread takes over.
            var received = _reader.IsFull ? -1 : _reader.ReceiveAvailable(_socket!);
            if (received < 0) _needsWaitingRead = true;
            if (received <= 0) return delivered;
        }

        return delivered;
    }

    bool IPollableReader.HandBack => _ended || _needsWaitingRead || Volatile.Read(ref _closingLocally) != 0;

    /// <summary>
    /// The pipe ended without goodbye: the peer is gone when its process has exited within <c>peer-exit-grace</c>
    /// (see <see cref="PeerExit"/>). True when it has, and then it has been reported.
    /// </summary>
    private async Task<bool> JudgePeerExitAsync(AssociationHandle handle, string failure)
    {
        // The end of the pipe is the peer's last sign of life: the verdict's latency counts from here.
        var endSeen = global::System.Diagnostics.Stopwatch.GetTimestamp();
        var pid = Peer.ProcessId;
        if (!PeerExit.CanJudge(pid))
        {
            if (_log.IsDebugEnabled)
                _log.Debug("Pipe connection {0} ended without goodbye ({1}); {2}", Description, failure,
                    pid <= 0 ? "the peer's process id is unknown" : "the peer is in this process");
            return false;
        }

        if (!await PeerExit.HasExitedAsync(pid, _settings.PeerExitGrace).ConfigureAwait(false))
        {
            _throttled.Warning("still-runs",
                $"Pipe connection {Description} ended without goodbye ({failure}) but process {pid} still runs: left to Akka's failure detectors");
            return false;
        }

        PeerExit.Report(_system, _log, handle, pid, $"pipe ended without goodbye ({failure}) and process {pid} is gone", exited: true,
            global::System.Diagnostics.Stopwatch.GetElapsedTime(endSeen));
        return true;
    }
}
