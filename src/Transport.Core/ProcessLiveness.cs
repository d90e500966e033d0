using System.Diagnostics;

namespace XStateNet.Actors.Transport;

/// <summary>Whether a process on this host is still running.</summary>
public static class ProcessLiveness
{
    /// <summary>
    /// True while the process exists and has not exited. A zombie (exited, not yet reaped by its parent) counts as
    /// gone: its sockets are closed and its memory released, it will never run again.
    /// </summary>
    public static bool IsRunning(int pid)
    {
        if (pid <= 0) return false;
        if (OperatingSystem.IsLinux()) return IsRunningOnLinux(pid);
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool IsRunningOnLinux(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            // Another user's process: it exists, and we cannot see more.
            return true;
        }

        // The command name in parentheses may itself contain spaces or ')'; the state follows the last ')'.
        var end = stat.LastIndexOf(')');
        if (end < 0 || end + 2 >= stat.Length) return false;
        var state = stat[end + 2];
        return state is not ('Z' or 'X' or 'x');
    }
}
