using System.Diagnostics;
using System.Diagnostics.Metrics;
using XStateNet.Actors.Telemetry;

namespace XStateNet.Actors.Bench.Actors;

/// <summary>
/// Listeners as an exporter would attach them: every instrument of the machines' meter enabled, every step's
/// activity created with all its data. They only count what they see, so the cost measured is the runtime's.
/// </summary>
internal static class Telemetry
{
    private static long _measurements;
    private static long _activities;

    public static long Measurements => Interlocked.Read(ref _measurements);

    public static long Activities => Interlocked.Read(ref _activities);

    public static IDisposable Listen() => Listen(metersOnly: Environment.GetEnvironmentVariable("BENCH_ONLY") == "meters");

    /// <param name="metersOnly">Only the meter listener, no activity listener.</param>
    public static IDisposable Listen(bool metersOnly)
    {
        var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == MachineMetrics.MeterName) listener.EnableMeasurementEvents(instrument);
            },
        };
        meters.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Increment(ref _measurements));
        meters.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _measurements));
        meters.Start();
        if (metersOnly) return meters;
        var traces = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MachineTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ => Interlocked.Increment(ref _activities),
        };
        ActivitySource.AddActivityListener(traces);
        return new Both(meters, traces);
    }

    private sealed class Both(MeterListener meters, ActivityListener traces) : IDisposable
    {
        public void Dispose()
        {
            meters.Dispose();
            traces.Dispose();
        }
    }
}
