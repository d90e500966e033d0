using Akka.Actor;
using Akka.Event;
using Akka.Remote.Transport;
using Google.Protobuf;
using XStateNet.Actors.Transport.SharedMemory.Ring;
using XStateNet.Actors.Transport.Telemetry;

namespace XStateNet.Actors.Transport.SharedMemory;

/// <summary>
/// One association over one segment: writes go into this side's outbound ring, a dedicated reader thread drains the
/// inbound ring into Akka (handing the reading to the thread pool for a moment after each message, see
/// <see cref="HotReadPump"/>), and the transport's watchdog checks the peer's pid and heartbeat.
/// </summary>
/// <remarks>
/// The mapping is shared by three parties with different lifetimes (Akka's writers, the watchdog, the reader
/// thread); it is released only when both the handle is closed and the reader thread has exited.
/// </remarks>
internal sealed class ShmAssociationHandle : AssociationHandle, IRingRecordHandler, IWaitingReader, ISameHostAssociation
{
    private readonly ShmTransport _transport;
    private readonly SharedSegment _segment;
    private readonly RingWriter _writer;
    private readonly RingReader _reader;
    private readonly RingIdler _idler;
    private readonly ShmSettings _settings;
    private readonly ILoggingAdapter _log;
    private readonly Lock _writeLock = new();
    private readonly Func<bool> _shouldWake;
    private readonly string _readerName;
    private readonly HotReadPump _pump;
    private readonly OutboundLimit _limit;
    private readonly RepeatedErrorLog _oversized = new();
    private readonly PeerMeter _meter;
    private IHandleEventListener? _listener;
    private PeerTraffic? _traffic;
    private bool _writesClosed;
    private volatile bool _stopping;
    // Cancelled with _stopping: ends the wait for Akka's read handler.
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _closed;
    private int _references = 2;
    private long _lastBeat;

    public ShmAssociationHandle(ShmTransport transport, SharedSegment segment, Address localAddress, Address remoteAddress,
        int peerProcessId, long peerMaximumFrameSize, ShmSettings settings, ILoggingAdapter log)
        : base(localAddress, remoteAddress)
    {
        _transport = transport;
        _segment = segment;
        PeerProcessId = peerProcessId;
        _settings = settings;
        _log = log;
        _writer = segment.CreateWriter();
        _reader = segment.CreateReader();
        _limit = new OutboundLimit(settings.MaximumFrameSize, peerMaximumFrameSize, _writer.MaxPayload);
        _idler = new RingIdler(settings.IdleStrategy, settings.SpinIterations, settings.YieldIterations,
            (int)Math.Min(int.MaxValue, settings.SleepTimeout.TotalMilliseconds));
        _shouldWake = () => _stopping || _segment.PeerClosed;
        _pump = new HotReadPump(this, settings.HotReadWindow);
        _readerName = $"shm-reader {localAddress.Port}<-{remoteAddress.Port}";
        _meter = new PeerMeter(transport.System, transport.SchemeIdentifier, remoteAddress, QueuedBytes);
    }

    /// <summary>The segment of this association, named as <c>/proc/&lt;pid&gt;/maps</c> shows it.</summary>
    public string SegmentPath => _segment.Path;

    /// <summary>This process's descriptor of the segment (tests write through <c>/proc/self/fd/&lt;n&gt;</c>).</summary>
    internal int SegmentDescriptor => _segment.Descriptor;

    /// <summary>
    /// The peer's process id in the kernel's word (SO_PEERCRED on the control connection), never what the peer
    /// declared or wrote into the segment.
    /// </summary>
    public int PeerProcessId { get; }

    /// <summary>Completes when the association is closed and its mapping released (the reader thread is out).</summary>
    public Task Completion => _released.Task;

    /// <summary>Starts the reader thread; it waits for Akka's read handler before it takes anything off the ring.</summary>
    public void Start() => ReaderThread.Start(_readerName, ReadLoop);

    /// <inheritdoc />
    public override bool Write(ByteString payload)
    {
        if (payload.Length > _limit.Bytes) return DropOversized(payload.Length);
        // Akka writes from the endpoint writer and from the protocol state actor (handshake, heartbeats): the ring
        // has one producer, so they take turns. Uncontended, this costs a few nanoseconds.
        lock (_writeLock)
        {
            if (_writesClosed) return false;
            if (!_writer.TryWrite(payload.Span))
            {
                _meter.BackedOff(); // the ring is full: Akka's endpoint writer retries later
                return false;
            }
        }

        _meter.Sent(payload.Length);
        return true;
    }

    /// <summary>
    /// The outbound ring's fill, for the meter's gauge. Under the write lock: the mapping is released only after a
    /// close has marked writes closed under it, so this never reads an unmapped segment.
    /// </summary>
    private long QueuedBytes()
    {
        lock (_writeLock)
        {
            return _writesClosed ? 0 : _writer.QueuedBytes;
        }
    }

    private bool DropOversized(int length)
    {
        if (_oversized.ShouldWrite("oversized", out var suppressed))
            _log.Error("{0}{1}", _limit.Refusal(length, RemoteAddress), RepeatedErrorLog.SuppressedNote(suppressed));
        return true;
    }

    /// <inheritdoc />
    [Obsolete("Use the method that states reasons to make sure disassociation reasons are logged.")]
    public override void Disassociate() => Close("disassociated by Akka", notifyAkka: null);

    /// <summary>Writes this side's heartbeat when due and declares the peer gone when its pid or heartbeat says so.</summary>
    /// <param name="nowMs">The watchdog's time.</param>
    /// <param name="judgeFromMs">Heartbeats are aged from no earlier than this (the watchdog's last late tick).</param>
    public void CheckPeer(long nowMs, long judgeFromMs)
    {
        long peerBeat;
        lock (_writeLock)
        {
            if (_writesClosed) return;
            if (nowMs - _lastBeat >= (long)_settings.HeartbeatInterval.TotalMilliseconds)
            {
                _segment.Beat(nowMs);
                _lastBeat = nowMs;
            }

            peerBeat = _segment.PeerHeartbeat;
        }

        // The watchdog's tick is the grace: judged again at the next one.
        // The peer's last heartbeat is its last sign of life this watchdog saw: the verdict's latency counts from it.
        var age = nowMs - Math.Max(peerBeat, judgeFromMs);
        if (PeerExit.HasExitedAsync(PeerProcessId, TimeSpan.Zero).GetAwaiter().GetResult())
        {
            PeerGone($"its process {PeerProcessId} no longer exists", processExited: true, TimeSpan.FromMilliseconds(age));
            return;
        }

        if (age > (long)_settings.HeartbeatTimeout.TotalMilliseconds)
            PeerGone($"its heartbeat is {age} ms old (heartbeat-timeout {_settings.HeartbeatTimeout.TotalMilliseconds} ms)", processExited: false,
                TimeSpan.FromMilliseconds(age));
    }

    /// <summary>Closes this association: a goodbye in the segment, the reader stopped, the mapping released once the reader is out.</summary>
    /// <param name="reason">Why, for the log.</param>
    /// <param name="notifyAkka">What Akka is told, or null when Akka itself asked for the close or the transport stops.</param>
    /// <returns>False when it was closed already.</returns>
    public bool Close(string reason, DisassociateInfo? notifyAkka)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return false;
        _log.Debug("Shared-memory association {0} -> {1} closing: {2}", LocalAddress, RemoteAddress, reason);
        lock (_writeLock)
        {
            _writesClosed = true;
            _segment.MarkClosed();
            _writer.WakeReader();
            _stopping = true;
            _reader.Wake();
        }

        _stop.Cancel();

        _transport.Forget(this);
        _meter.Dispose();
        if (notifyAkka is { } info) DisassociationNotice.Send(this, info);

        Release();
        return true;
    }

    void ISameHostAssociation.Close(string reason) => Close(reason, notifyAkka: null);

    int IPollableReader.ReadAvailable() => Drain();

    /// <summary>One batch to Akka; records arriving also tell the failure detector the peer runs (see <see cref="PeerTraffic"/>).</summary>
    private int Drain()
    {
        var delivered = _reader.Drain(this, _settings.ReadBatchSize);
        if (delivered > 0) _traffic?.Heard();
        return delivered;
    }

    bool IPollableReader.HandBack => _shouldWake();

    void IRingRecordHandler.OnRecord(ReadOnlySpan<byte> payload)
    {
        // The ring space is reused as soon as the batch is released: Akka gets its own copy.
        _listener!.Notify(new InboundPayload(ByteString.CopyFrom(payload)));
        _meter.Received(payload.Length);
    }

    private void PeerGone(string reason, bool processExited, TimeSpan detection)
    {
        // Closed first, so nothing more is written to a segment nobody reads; Akka is told by the report, once.
        if (!Close(reason, notifyAkka: null)) return;
        PeerExit.Report(_transport.System, _log, this, PeerProcessId, reason, processExited, detection);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Idles by the configured strategy (spin, yield, then the futex) until the ring has records, this side closes, or
    /// the peer marked the segment closed; a closing peer's last records are still delivered before Akka is told.
    /// </remarks>
    bool IWaitingReader.ReadWaiting()
    {
        while (true)
        {
            if (Drain() > 0) return true;
            if (_stopping) return false;
            if (_segment.PeerClosed)
            {
                while (_reader.Drain(this, _settings.ReadBatchSize) > 0 || _reader.HasData)
                {
                }

                Close("the peer closed the association", notifyAkka: DisassociateInfo.Unknown);
                return false;
            }

            _idler.Idle(_reader, _shouldWake);
        }
    }

    private void ReadLoop()
    {
        try
        {
            _listener = ReadHandler.WaitAsync(this, _stop.Token).GetAwaiter().GetResult();
            if (_listener is null) return;
            _traffic = _transport.Liveness.TrackTraffic(RemoteAddress);
            ReaderThread.Pump(this, _pump);
        }
        catch (Exception e)
        {
            // A failure while stopping is the close itself; anything escaping this thread would end the process.
            if (_stopping)
            {
                _log.Debug("Shared-memory association {0} -> {1}: reading stopped with {2}", LocalAddress, RemoteAddress, e.Message);
            }
            else
            {
                // The peer wrote something into its ring no correct writer could: it is cut off, this node goes on.
                _log.Error("Shared-memory association {0} -> {1}: segment {2} written by process {3} is corrupt ({4}); disassociating that peer.",
                    LocalAddress, RemoteAddress, _segment.Path, PeerProcessId, e.Message);
                Close(e.Message, notifyAkka: DisassociateInfo.Unknown);
            }
        }
        finally
        {
            _traffic?.Dispose(); // a closed association says nothing about its peer any more
            Release();
        }
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _references) != 0) return;
        _segment.Dispose();
        _released.TrySetResult();
    }
}
