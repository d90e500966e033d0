namespace XStateNet.Actors.Transport;

/// <summary>
/// Ends a child process when the process that started it goes away, so a killed or crashed launcher (a test run, the
/// pipeline's launcher) leaves no orphans. Two signs, either enough: standard input reaches its end (the parent
/// closed it, or died and the kernel closed it), or the parent's process id stops running. One helper for every
/// child program of the repository: the TestKit's nodes and the pipeline's stages.
/// </summary>
/// <remarks>The parent must start the child with its standard input redirected and keep it open.</remarks>
internal static class ParentWatch
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Completes with the reason once the parent <paramref name="parentPid"/> is gone.</summary>
    public static Task<string> UntilGone(int parentPid)
    {
        var gone = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        // A thread of its own: a blocking read of standard input must not hold a thread-pool thread for the process's life.
        var stdin = new Thread(() =>
        {
            try
            {
                using var input = Console.OpenStandardInput();
                var buffer = new byte[256];
                while (input.Read(buffer, 0, buffer.Length) > 0)
                {
                    // nothing the parent writes means anything
                }
                gone.TrySetResult("standard input closed");
            }
            catch (IOException e)
            {
                gone.TrySetResult($"standard input failed: {e.Message}");
            }
        })
        { IsBackground = true, Name = "parent-watch" };
        stdin.Start();

        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(PollInterval);
            while (await timer.WaitForNextTickAsync().ConfigureAwait(false))
            {
                if (ProcessLiveness.IsRunning(parentPid)) continue;
                gone.TrySetResult($"parent process {parentPid} exited");
                return;
            }
        });
        return gone.Task;
    }
}
