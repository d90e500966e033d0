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

    public StageRole Role { get; } = role;

    public string Name { get; } = role.ToString().ToLowerInvariant();

    public int? Pid { get; set; }

    public int Restarts { get; private set; }

    public bool Ready { get; set; }

    public long Done => _doneBase + _done;

    public long Skipped => _skippedBase + _skipped;

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
