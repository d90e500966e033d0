using XStateNet.Actors.Transport;

namespace XStateNet.Actors.TestKit.Child;

/// <summary>
/// Ends a child when the test process goes away (a cancelled or crashed run leaves no orphans). Two signs, either
/// enough: standard input reaches its end (the parent closed it, or died and the kernel closed it), or the
/// parent's process id stops running.
/// </summary>
internal static class ParentWatch
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Completes with the reason once the parent is gone.</summary>
    public static Task<string> UntilGone(int parentPid)
    {
        var gone = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
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
        { IsBackground = true, Name = "testkit-parent-watch" };
        stdin.Start();

        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(PollInterval);
            while (await timer.WaitForNextTickAsync())
            {
                if (ProcessLiveness.IsRunning(parentPid)) continue;
                gone.TrySetResult($"parent process {parentPid} exited");
                return;
            }
        });
        return gone.Task;
    }
}
