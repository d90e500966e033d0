namespace XStateNet.Actors.Inspection;

/// <summary>
/// What a machine actor writes about itself as it steps, read by <see cref="MachineObservation.Statuses"/>: plain
/// field writes by the machine's own thread (no lookup on the hot path), read racily by health checks, which is fine.
/// </summary>
internal sealed class MachineHealthState(string id)
{
    private volatile bool _done;
    private volatile string? _failure;

    public string Id { get; } = id;

    public void SetDone(bool done)
    {
        if (done != _done) _done = done;
    }

    public void Failed(string reason) => _failure = reason;

    public MachineStatus Status => new(Id, _done, _failure);
}
