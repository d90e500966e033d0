using System.Diagnostics;
using System.Globalization;

namespace XStateNet.Actors.Discovery;

/// <summary>
/// When a process started, so that a directory entry of a dead process whose pid the kernel gave to another one
/// is not taken for live: the entry records its writer's start, and a process with that pid but another start is
/// someone else.
/// </summary>
internal static class ProcessStart
{
    /// <summary>
    /// The start of <paramref name="pid"/>: on Linux the <c>starttime</c> of <c>/proc/&lt;pid&gt;/stat</c> (clock
    /// ticks since boot, exact and cheap), elsewhere the start time in UTC ticks; null when there is no such process.
    /// </summary>
    public static long? Of(int pid)
    {
        if (pid <= 0) return null;
        if (OperatingSystem.IsLinux()) return OnLinux(pid);
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.StartTime.ToUniversalTime().Ticks;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static long? OnLinux(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // The command name in parentheses may contain spaces and ')': fields are counted after the last ')'.
        // There, field 3 (state) comes first, so starttime (field 22) is the 20th.
        var end = stat.LastIndexOf(')');
        if (end < 0) return null;
        var fields = stat[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start) ? start : null;
    }
}
