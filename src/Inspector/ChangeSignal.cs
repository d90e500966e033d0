namespace XStateNet.Actors.Inspection;

/// <summary>Wakes every waiting page stream when something changed; waiters that arrive later wait for the next change.</summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>True at the next change, false after <paramref name="timeout"/> without one.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var next = Volatile.Read(ref _next).Task;
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var first = await Task.WhenAny(next, Task.Delay(timeout, timer.Token));
        await timer.CancelAsync(); // the delay, when the change came first
        cancellationToken.ThrowIfCancellationRequested();
        return first == next;
    }
}
