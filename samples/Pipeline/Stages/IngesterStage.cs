using System.Diagnostics;
using XStateNet.Actors.Samples.Pipeline.Reporting;

namespace XStateNet.Actors.Samples.Pipeline.Stages;

/// <summary>
/// The ingester's actions. It reads the input folder, keeps at most <c>maxInFlight</c> files between
/// <c>PROCESS_DATA</c> and <c>FILE_COMPLETE</c>, and owns redelivery: a file stays in flight, content and all,
/// until storage confirms it, so when the processor or storage is lost (DeathWatch raises
/// <c>xstatenet.target.terminated</c>, or a send fails with <c>error.communication</c>) it pings the peer until
/// its next incarnation answers and then sends everything in flight again. Storage is idempotent, so a file
/// sent twice is still stored once.
/// </summary>
internal sealed class IngesterStage
{
    private const string Processor = "processor";
    private const string Storage = "storage";
    private static readonly string[] Peers = [Processor, Storage];
    private static readonly TimeSpan PingRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan StallCheckInterval = TimeSpan.FromSeconds(1);
    /// <summary>With nothing confirmed for this long, files waiting as long are sent again (checked every <see cref="StallCheckInterval"/>).</summary>
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(5);
    /// <summary>
    /// The window also closes at this much content in flight, whatever the file count: 1,024 files of 1 KiB are 1 MiB,
    /// but 1,024 of the largest allowed (512 KiB by default) would hold half a gigabyte in the ingester.
    /// </summary>
    internal const long MaxInFlightBytes = 64L << 20;

    private readonly string _input;
    private readonly int _maxInFlight;
    private readonly int _batchSize;
    private readonly long _maxFileSize;
    private readonly StageReporter _reporter;
    private readonly TaskCompletionSource<RunSummary> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _pending = new();
    private readonly Dictionary<string, InFlightFile> _inFlight = new(StringComparer.Ordinal);
    private readonly List<Rejection> _rejected = new();
    private readonly List<double> _latenciesMs = new();
    private readonly Dictionary<string, PeerState> _peers = new(StringComparer.Ordinal) { [Processor] = PeerState.Unknown, [Storage] = PeerState.Unknown };
    private bool _scanned;
    private bool _resendWhenBack;
    private long _total;
    private long _read;
    private long _refusedAtRead;
    private long _completed;
    private long _bytes;
    private long _inFlightBytes;
    private long _resent;
    private long _startedAt;
    private long _halfDoneAt;
    private long _lastConfirmedAt;
    private long _newestConfirmedSentAt;

    public IngesterStage(string input, int maxInFlight, int batchSize, long maxFileSize, StageReporter reporter)
    {
        _input = Path.GetFullPath(input);
        _maxInFlight = maxInFlight;
        _batchSize = batchSize;
        _maxFileSize = maxFileSize;
        _reporter = reporter;
    }

    /// <summary>Completes when every file is stored or rejected.</summary>
    public Task<RunSummary> Finished => _finished.Task;

    public MachineDefinition Definition => new(MachineScripts.Id(StageRole.Ingester), MachineScripts.For(StageRole.Ingester))
    {
        Actions = new Dictionary<string, Action<OrchestratedContext>>
        {
            ["pingPeers"] = ctx =>
            {
                foreach (var peer in Peers) ctx.RequestSend(peer, PipelineEvents.Ping);
                ctx.RequestDelayedSend(ctx.MachineId, PipelineEvents.StallCheck, StallCheckInterval);
            },
            ["peerReady"] = PeerReady,
            ["peerLost"] = ctx => PeerDown(ctx, ((MachineTerminated)ctx.Payload!).MachineId, "its process is gone (DeathWatch)"),
            ["deliveryFailed"] = DeliveryFailed,
            ["scanFiles"] = ScanFiles,
            ["fillWindow"] = FillWindow,
            ["completeFiles"] = CompleteFiles,
            ["rejectFile"] = RejectFile,
            ["resendInFlight"] = ctx =>
            {
                if (!_resendWhenBack || !AllPeersUp) return;
                _resendWhenBack = false;
                ResendAll(ctx, "a lost stage is back");
            },
            ["checkStalled"] = CheckStalled,
            ["reportSummary"] = _ => Finish(),
        },
        Guards = new Dictionary<string, Func<OrchestratedContext, bool>>
        {
            ["peersReady"] = _ => AllPeersUp,
            ["allSettled"] = _ => _scanned && _pending.Count == 0 && _inFlight.Count == 0,
        },
    };

    private bool AllPeersUp => _peers[Processor] == PeerState.Up && _peers[Storage] == PeerState.Up;

    private void PeerReady(OrchestratedContext ctx)
    {
        if (ctx.SourceMachineId is not { } peer || !_peers.TryGetValue(peer, out var state)) return;
        if (state == PeerState.Down) _reporter.Note($"{peer} is back");
        _peers[peer] = PeerState.Up;
    }

    private void DeliveryFailed(OrchestratedContext ctx)
    {
        var error = (CommunicationError)ctx.Payload!;
        if (error.EventName == PipelineEvents.Ping)
        {
            // Not there (yet): the launcher or systemd is starting it; ask again shortly.
            ctx.RequestDelayedSend(error.TargetMachineId, PipelineEvents.Ping, PingRetry);
            return;
        }
        // The file stays in flight; it goes again once the peer answers.
        PeerDown(ctx, error.TargetMachineId, error.Reason);
    }

    private void PeerDown(OrchestratedContext ctx, string peer, string why)
    {
        if (!_peers.TryGetValue(peer, out var state) || state == PeerState.Down) return;
        _peers[peer] = PeerState.Down;
        _resendWhenBack = true;
        _reporter.Note($"lost {peer}: {why}; {_inFlight.Count} files in flight wait for it to come back");
        ctx.RequestSend(peer, PipelineEvents.Ping);
    }

    private void ScanFiles(OrchestratedContext ctx)
    {
        if (_scanned) return;
        // The stage host checked that the folder exists; every entry is listed, so unreadable ones are reported.
        var files = InputFolder.List(_input);
        foreach (var file in files) _pending.Enqueue(file);
        _total = files.Count;
        _scanned = true;
        _startedAt = Stopwatch.GetTimestamp();
        _reporter.Started(_total);
        _reporter.Progress(0, 0, _total);
    }

    /// <summary>Reads files while the window has room and sends them to the processor, <c>--batch</c> files an event.</summary>
    private void FillWindow(OrchestratedContext ctx)
    {
        var batch = new List<FileToProcess>(Math.Min(_batchSize, _maxInFlight));
        while (_inFlight.Count < _maxInFlight && _inFlightBytes < MaxInFlightBytes && _pending.TryDequeue(out var path))
        {
            var ingestedAt = Stopwatch.GetTimestamp();
            if (!FileReader.TryRead(path, _maxFileSize, out var content, out var problem))
            {
                _rejected.Add(new Rejection(path, problem));
                _refusedAtRead++;
                continue;
            }
            var hash = FileTransform.Hash(content);
            _inFlight[path] = new InFlightFile(hash, content, ingestedAt) { SentAt = Stopwatch.GetTimestamp() };
            _inFlightBytes += content.Length;
            _read++;
            batch.Add(new FileToProcess(path, hash, content));
            if (batch.Count == _batchSize) SendBatch(ctx, batch);
        }
        SendBatch(ctx, batch);
        _reporter.Progress(_read, _refusedAtRead, _total);
    }

    private static void SendBatch(OrchestratedContext ctx, List<FileToProcess> batch)
    {
        if (batch.Count == 0) return;
        ctx.RequestSend(Processor, PipelineEvents.ProcessData, new FileBatch<FileToProcess>([.. batch]));
        batch.Clear();
    }

    private void CompleteFiles(OrchestratedContext ctx)
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var stored in ctx.EventData!.Files)
        {
            string path = stored.File, hash = stored.Hash;
            // A file sent twice is confirmed twice; only the first confirmation of the content we sent counts.
            if (!_inFlight.TryGetValue(path, out var file) || file.Hash != hash) continue;
            _inFlight.Remove(path);
            _inFlightBytes -= file.Content.Length;
            _lastConfirmedAt = now;
            _newestConfirmedSentAt = Math.Max(_newestConfirmedSentAt, file.SentAt);
            _latenciesMs.Add(Stopwatch.GetElapsedTime(file.IngestedAt, now).TotalMilliseconds);
            _completed++;
            if (_completed == (_total + 1) / 2) _halfDoneAt = now;
            _bytes += file.Content.Length;
        }
    }

    private void RejectFile(OrchestratedContext ctx)
    {
        var data = ctx.EventData!;
        string path = data.File, reason = data.Reason;
        if (!_inFlight.Remove(path, out var file)) return;
        _inFlightBytes -= file.Content.Length;
        _rejected.Add(new Rejection(path, reason));
        _reporter.Progress(_read, _refusedAtRead, _total);
    }

    private void CheckStalled(OrchestratedContext ctx)
    {
        if (_finished.Task.IsCompleted) return;
        // A peer not known to be up is asked again every check: its answer can be lost too (a PONG may time out
        // resolving us on a loaded machine), and a ping that was delivered raises no error to retry on.
        foreach (var (peer, state) in _peers)
        {
            if (state != PeerState.Up) ctx.RequestSend(peer, PipelineEvents.Ping);
        }
        // The safety net under DeathWatch. A batch lost with nobody told (a SAVE_DATA the processor could not deliver,
        // a peer restarted before its death was detected) would hold its slots for good while the rest of the run went
        // on. Each stage handles its events in order, so a file sent before one that is already confirmed was lost:
        // send it again. And when nothing at all was confirmed for a while, send again what waited that long. (A
        // plain per-file timeout re-sent hundreds of files that were only slow, while a cold, loaded machine compiled
        // the message path.)
        if (_inFlight.Count > 0 && AllPeersUp)
        {
            var now = Stopwatch.GetTimestamp();
            var stalled = Stopwatch.GetElapsedTime(Math.Max(_lastConfirmedAt, _startedAt), now) > StallTimeout;
            var lost = _inFlight
                .Where(f => f.Value.SentAt < _newestConfirmedSentAt || (stalled && Stopwatch.GetElapsedTime(f.Value.SentAt, now) > StallTimeout))
                .Select(f => f.Key).ToList();
            if (lost.Count > 0) Resend(ctx, lost, stalled ? $"nothing confirmed for {StallTimeout.TotalSeconds:0} s" : "files sent after them are confirmed");
        }
        ctx.RequestDelayedSend(ctx.MachineId, PipelineEvents.StallCheck, StallCheckInterval);
    }

    private void ResendAll(OrchestratedContext ctx, string why) => Resend(ctx, [.. _inFlight.Keys], why);

    /// <summary>Sends files in flight again, in batches; storage is idempotent, so one that did arrive is stored once.</summary>
    private void Resend(OrchestratedContext ctx, List<string> paths, string why)
    {
        if (paths.Count == 0) return;
        _reporter.Note($"re-sending {paths.Count} files in flight: {why}");
        var now = Stopwatch.GetTimestamp();
        var batch = new List<FileToProcess>(_batchSize);
        foreach (var path in paths)
        {
            var file = _inFlight[path];
            file.SentAt = now;
            batch.Add(new FileToProcess(path, file.Hash, file.Content));
            if (batch.Count == _batchSize) SendBatch(ctx, batch);
        }
        SendBatch(ctx, batch);
        _resent += paths.Count;
    }

    private void Finish()
    {
        var end = Stopwatch.GetTimestamp();
        var elapsed = _startedAt == 0 ? 0 : Stopwatch.GetElapsedTime(_startedAt, end).TotalMilliseconds;
        // The second half alone: start-up and tier-up are mostly behind by then.
        var secondHalfMs = _halfDoneAt == 0 ? 0 : Stopwatch.GetElapsedTime(_halfDoneAt, end).TotalMilliseconds;
        _latenciesMs.Sort();
        var summary = new RunSummary
        {
            Files = _completed,
            Bytes = _bytes,
            ElapsedMs = elapsed,
            SecondHalfFilesPerSecond = secondHalfMs > 0 ? (_completed - (_total + 1) / 2) / (secondHalfMs / 1000) : 0,
            LatencyP50Ms = Percentile(_latenciesMs, 0.50),
            LatencyP99Ms = Percentile(_latenciesMs, 0.99),
            Resent = _resent,
            Rejected = _rejected.ToArray(),
        };
        _reporter.Progress(_read, _refusedAtRead, _total);
        _reporter.Summary(summary);
        _finished.TrySetResult(summary);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private enum PeerState
    {
        Unknown,
        Up,
        Down,
    }

    private sealed record InFlightFile(string Hash, byte[] Content, long IngestedAt)
    {
        /// <summary>When it last went to the processor: files sent later being confirmed first means it was lost.</summary>
        public long SentAt { get; set; }
    }
}
