using XStateNet.Actors.Transport;

namespace XStateNet.Actors.Tests.NodeHost;

/// <summary>
/// Ends the node when the process that started it goes away, so a crashed or killed test run leaves no orphans.
/// Two signals, either enough: standard input reaches its end (the parent closed it, or died and the kernel
/// closed it), or the parent's process id stops running.
/// </summary>
internal static class ParentWatch
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Completes with the reason once the parent is gone.</summary>
    public static Task<string> UntilParentGone(int? parentPid)
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
                    // The parent may write; nothing it writes means anything yet.
                }
                gone.TrySetResult("standard input closed");
            }
            catch (IOException e)
            {
                gone.TrySetResult($"standard input failed: {e.Message}");
            }
        })
        { IsBackground = true, Name = "parent-watch-stdin" };
        stdin.Start();

        if (parentPid is { } pid)
        {
            _ = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(PollInterval);
                while (await timer.WaitForNextTickAsync())
                {
                    if (ProcessLiveness.IsRunning(pid)) continue;
                    gone.TrySetResult($"parent process {pid} exited");
                    return;
                }
            });
        }

        return gone.Task;
    }
}
