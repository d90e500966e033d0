namespace XStateNet.Actors.Samples.Pipeline.Launching;

/// <summary>
/// How far one stage is, over all its incarnations: a restarted process counts from zero again, so what the
/// previous ones reported is kept as a base.
/// </summary>
internal sealed class StageProgress(StageRole role)
{
    private long _doneBase;
    private long _skippedBase;
    private long _done;
    private long _skipped;
    private TimeSpan _cpuBase;
    private TimeSpan? _cpuAtReady;
    private TimeSpan _cpuLatest;
    private bool _runStarted;

    public StageRole Role { get; } = role;

    public string Name { get; } = role.ToString().ToLowerInvariant();

    public int? Pid { get; set; }

    public int Restarts { get; private set; }

    public bool Ready { get; private set; }

    public long Done => _doneBase + _done;

    public long Skipped => _skippedBase + _skipped;

    /// <summary>
    /// CPU time of the first incarnation until the run started (the ingester's clock; until its ready report if the
    /// run never started): start-up, that is the runtime, JIT, actor system, machine and connecting to its peers.
    /// </summary>
    public TimeSpan? StartupCpu { get; private set; }

    /// <summary>
    /// CPU time the stage's processes spent in the run, over all incarnations: from the run's start (a restarted
    /// incarnation: from its ready report) to the end. The same window as the run's elapsed time, so CPU per file
    /// and files per second describe the same work.
    /// </summary>
    public TimeSpan RunCpu => _cpuBase + (_cpuAtReady is { } ready ? _cpuLatest - ready : TimeSpan.Zero);

    /// <summary>The current process's CPU time, read by the launcher (from /proc on Linux) when it reports ready.</summary>
    public void MarkReady(TimeSpan? cpu)
    {
        Ready = true;
        if (cpu is not { } value) return;
        _cpuAtReady = _cpuLatest = value;
        StartupCpu ??= value;
    }

    /// <summary>
    /// The run starts (the ingester says so): what the current incarnation used until now was start-up, not the
    /// run. Only the run's first start counts; a stage not yet ready is left to its ready report.
    /// </summary>
    public void MarkRunStart(TimeSpan? cpu)
    {
        if (_runStarted) return;
        _runStarted = true;
        if (cpu is not { } value || _cpuAtReady is null || Restarts > 0) return;
        _cpuAtReady = _cpuLatest = value;
        StartupCpu = value;
    }

    /// <summary>The current process's CPU time, sampled as the run goes (the last sample before a crash is what counts).</summary>
    public void SampleCpu(TimeSpan? cpu)
    {
        if (cpu is { } value && _cpuAtReady is not null && value > _cpuLatest) _cpuLatest = value;
    }

    public void Report(long done, long skipped)
    {
        _done = done;
        _skipped = skipped;
    }

    /// <summary>A new incarnation starts: keep what the last one did.</summary>
    public void Restarted()
    {
        Restarts++;
        Ready = false;
        _cpuBase = RunCpu;
        _cpuAtReady = null;
        _cpuLatest = TimeSpan.Zero;
        if (Role == StageRole.Ingester)
        {
            // A restarted ingester scans and counts the whole input again.
            _done = _skipped = 0;
            return;
        }
        _doneBase += _done;
        _skippedBase += _skipped;
        _done = _skipped = 0;
    }
}
