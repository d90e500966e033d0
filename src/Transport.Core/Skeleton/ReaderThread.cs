namespace XStateNet.Actors.Transport;

/// <summary>
/// The one reader thread every same-host association runs: a thread of its own that sleeps while the association is
/// quiet, and after each message lends the reading to the thread pool for <c>hot-read-window</c>
/// (<see cref="HotReadPump"/>). Each transport supplies only its reads (<see cref="IWaitingReader"/>).
/// </summary>
/// <remarks>
/// A thread of its own, not a pool work item: a blocking read on the pool would hold a worker for as long as the
/// association is quiet, and Akka's actors run on that pool. Background, so a reader never keeps a process alive.
/// </remarks>
internal static class ReaderThread
{
    /// <summary>
    /// Starts <paramref name="body"/> on a new background thread named <paramref name="name"/>; the task completes with
    /// what it returns or fails with what it throws (nothing escapes the thread, which would end the process).
    /// </summary>
    public static Task<T> Start<T>(string name, Func<T> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                result.TrySetResult(body());
            }
            catch (Exception e)
            {
                result.TrySetException(e);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return result.Task;
    }

    /// <summary>Starts <paramref name="body"/> on a new background thread, as <see cref="Start{T}"/> does.</summary>
    public static Task Start(string name, Action body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Start<bool>(name, () =>
        {
            body();
            return true;
        });
    }

    /// <summary>
    /// Hands messages to Akka until the association ends: a waiting read until something was delivered, then the pump
    /// reads hot until its window passes or the reader asks for a waiting read again. Rethrows what either read threw.
    /// </summary>
    public static void Pump(IWaitingReader reader, HotReadPump pump)
    {
        while (reader.ReadWaiting())
        {
            pump.RunHot();
        }
    }
}
