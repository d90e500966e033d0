using System.Runtime.InteropServices;

namespace XStateNet.Actors.MultiProcess.Tests.Harness;

/// <summary>POSIX signals for pausing and resuming a child (Linux numbering).</summary>
public static class Signals
{
    /// <summary>Stops the process: it keeps its sockets and memory but runs nothing, as in a very long GC pause.</summary>
    public const int Stop = 19;

    /// <summary>Resumes a stopped process.</summary>
    public const int Continue = 18;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>.</summary>
    /// <exception cref="InvalidOperationException">The signal could not be delivered.</exception>
    public static void Send(int pid, int signal)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("the multi-process specs signal children the Linux way");
        if (Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastWin32Error()}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
