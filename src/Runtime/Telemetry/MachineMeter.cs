using System.Diagnostics;

namespace XStateNet.Actors.Telemetry;

/// <summary>One machine's view of <see cref="MachineMetrics"/>: its chart tag, built once, and what a step records.</summary>
internal readonly struct MachineMeter(string chartId)
{
    private readonly KeyValuePair<string, object?> _chart = new(MachineMetrics.ChartTag, chartId);

    /// <summary>When a step starts: a timestamp when step time is measured, else 0 (no clock read).</summary>
    public static long StepStarted() => MachineMetrics.Step.Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>Records one step: an event handled unless it was the start, its transitions and its time.</summary>
    public void Stepped(bool handledEvent, long transitions, long startedAt)
    {
        if (handledEvent && MachineMetrics.Handled.Enabled) MachineMetrics.Handled.Add(1, _chart);
        if (transitions > 0 && MachineMetrics.Taken.Enabled) MachineMetrics.Taken.Add(transitions, _chart);
        if (startedAt != 0 && MachineMetrics.Step.Enabled) MachineMetrics.Step.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, _chart);
    }

    /// <summary>A runtime error event (<paramref name="eventName"/>) was raised or handled.</summary>
    public void Error(string eventName)
    {
        if (MachineMetrics.Failures.Enabled) MachineMetrics.Failures.Add(1, _chart, new(MachineMetrics.ErrorTypeTag, eventName));
    }
}
