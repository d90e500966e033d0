using System.Runtime.InteropServices;

namespace XStateNet.Actors.TestKit.Processes;

/// <summary>POSIX signals for pausing, resuming and killing a child (Linux numbering).</summary>
internal static class Signals
{
    public const int Kill = 9;
    public const int Stop = 19;
    public const int Continue = 18;

    /// <exception cref="InvalidOperationException">The signal could not be delivered.</exception>
    public static void Send(int pid, int signal)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("the TestKit signals child processes the Linux way");
        if (SendSignal(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
