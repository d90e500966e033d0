namespace XStateNet.Actors.Samples.Pipeline.Reporting;

/// <summary>
/// How a stage tells the world what it does. Under the launcher: JSON lines on the real stdout (everything else,
/// Akka's log included, is moved to stderr). Alone (by hand, systemd): readable lines. Progress is coalesced to a
/// few lines a second however many files go by.
/// </summary>
internal sealed class StageReporter : IDisposable
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(100);

    private readonly string _stage;
    private readonly bool _json;
    private readonly TextWriter _out;
    private readonly bool _ownsOut;
    private readonly Lock _gate = new();
    private readonly Timer _timer;
    private readonly TransportFigures _transport = new();
    private long _lastWrittenTransport;
    private long _done;
    private long _total = -1;
    private long _skipped;
    private long _lastWrittenDone;
    private long _lastWrittenSkipped;
    private long _lastWrittenTotal = -1;

    public StageReporter(StageRole role, bool json)
        : this(role, json, output: null)
    {
    }

    /// <param name="role">The stage reporting.</param>
    /// <param name="json">JSON lines (for a program that reads them) instead of readable ones.</param>
    /// <param name="output">
    /// Where the reports go, shared with whoever else writes there (a spec's child process: its reader keeps what it
    /// understands). Null: the real standard output, the reports' own: in JSON mode nothing else may write on the
    /// launcher's channel, so everything else written to the console goes to standard error instead.
    /// </param>
    public StageReporter(StageRole role, bool json, TextWriter? output)
    {
        _stage = role.ToString().ToLowerInvariant();
        _json = json;
        _ownsOut = output is null;
        _out = output ?? new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        if (json && _ownsOut) Console.SetOut(Console.Error);
        var interval = json ? ProgressInterval : TimeSpan.FromSeconds(2);
        _timer = new Timer(_ =>
        {
            FlushProgress();
            FlushTransport();
        }, null, interval, interval);
    }

    public void Ready(string address) => Write(new StageReport
    {
        Kind = StageReport.Ready, Stage = _stage, Pid = Environment.ProcessId, Address = address,
    }, $"{_stage} ready at {address} (pid {Environment.ProcessId})");

    /// <summary>
    /// The run starts now (the ingester, once its peers answer): written at once, not on the progress timer, so the
    /// launcher's CPU reading for every stage matches the run's clock.
    /// </summary>
    public void Started(long total) => Write(new StageReport { Kind = StageReport.Started, Stage = _stage, Total = total },
        $"{_stage}: the run starts, {total} files");

    public void Note(string text) => Write(new StageReport { Kind = StageReport.Note, Stage = _stage, Text = text }, $"{_stage}: {text}");

    /// <summary>Counters only; written by the timer.</summary>
    public void Progress(long done, long skipped, long total = -1)
    {
        Interlocked.Exchange(ref _done, done);
        Interlocked.Exchange(ref _skipped, skipped);
        if (total >= 0) Interlocked.Exchange(ref _total, total);
    }

    public void Summary(RunSummary summary)
    {
        FlushProgress();
        FlushTransport(); // before the summary: the launcher's summary follows it
        Write(new StageReport { Kind = StageReport.Summary, Stage = _stage, Result = summary },
            $"{_stage}: {summary.Files} files, {summary.Bytes} bytes in {summary.ElapsedMs / 1000:0.00} s ({summary.FilesPerSecond:0} files/s), " +
            $"latency p50 {summary.LatencyP50Ms:0.0} ms p99 {summary.LatencyP99Ms:0.0} ms, {summary.Rejected.Count} rejected");
        foreach (var rejection in summary.Rejected)
        {
            if (!_json) _out.WriteLine($"{_stage}: rejected {rejection.Path}: {rejection.Reason}");
        }
    }

    /// <summary>The transport figures per peer, when they changed since last written (under the launcher only: its summary shows them).</summary>
    public void FlushTransport()
    {
        if (!_json) return;
        var version = _transport.Version;
        lock (_gate)
        {
            if (version == _lastWrittenTransport) return;
            _lastWrittenTransport = version;
        }
        Write(new StageReport { Kind = StageReport.Transport, Stage = _stage, Peers = _transport.Snapshot() }, "");
    }

    public void FlushProgress()
    {
        long done = Interlocked.Read(ref _done), skipped = Interlocked.Read(ref _skipped), total = Interlocked.Read(ref _total);
        lock (_gate)
        {
            if (done == _lastWrittenDone && skipped == _lastWrittenSkipped && total == _lastWrittenTotal) return;
            _lastWrittenDone = done;
            _lastWrittenSkipped = skipped;
            _lastWrittenTotal = total;
        }
        Write(new StageReport
        {
            Kind = StageReport.Progress, Stage = _stage, Done = done, Skipped = skipped, Total = total >= 0 ? total : null,
        }, total >= 0 ? $"{_stage}: {done}/{total} done, {skipped} skipped" : $"{_stage}: {done} done, {skipped} skipped");
    }

    private void Write(StageReport report, string text)
    {
        var line = _json ? report.ToJson() : $"{DateTime.Now:HH:mm:ss.fff} {text}";
        lock (_gate)
        {
            try
            {
                _out.WriteLine(line);
            }
            catch (IOException)
            {
                // The launcher is gone and its pipe with it; the parent watch stops this process.
            }
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        FlushProgress();
        FlushTransport();
        _transport.Dispose();
        if (_ownsOut) _out.Dispose();
    }
}
