namespace XStateNet.Actors.Bench.Actors;

/// <summary>Counts handled events and signals when a round's last one arrives. Touched only by the actor's thread.</summary>
internal sealed class RoundCounter
{
    private long _remaining;
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Start(long events)
    {
        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _remaining, events);
        return _done.Task;
    }

    public void Count()
    {
        if (--_remaining == 0) _done.SetResult();
    }
}
