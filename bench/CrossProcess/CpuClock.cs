using System.Diagnostics;

namespace XStateNet.Actors.Bench.CrossProcess;

/// <summary>
/// The CPU time (user + system) this process and a child have used so far, each read from the kernel's account of
/// that process: CPU µs per message is their difference over a window divided by the messages in it.
/// </summary>
internal readonly record struct CpuClock(TimeSpan Self, TimeSpan Child)
{
    public static CpuClock Read(int childProcessId)
    {
        using var self = Process.GetCurrentProcess();
        using var child = Process.GetProcessById(childProcessId);
        return new CpuClock(self.TotalProcessorTime, child.TotalProcessorTime);
    }

    /// <summary>CPU µs per message, both processes together, between two readings.</summary>
    public static double MicrosPerMessage(CpuClock before, CpuClock after, double messages) =>
        messages <= 0 ? double.NaN : ((after.Self - before.Self) + (after.Child - before.Child)).TotalMicroseconds / messages;
}
