using System.Diagnostics;
using System.Diagnostics.Metrics;
using XStateNet.Actors.Telemetry;
using XStateNet.Actors.Transport.Telemetry;

namespace XStateNet.Actors.Bench.CrossProcess;

/// <summary>
/// <c>--telemetry</c>: listeners as an exporter would attach them, in this process and (through the environment) in
/// every child: all instruments of the transports' and machines' meters enabled, every machine step's activity
/// created with all its data. They only count, so what a run with them costs more is the runtime's telemetry.
/// </summary>
internal static class BenchTelemetry
{
    public const string Variable = "XSTATENET_BENCH_TELEMETRY";

    public static IDisposable? ListenIfAsked(string[] args)
    {
        if (args.Contains("--telemetry")) Environment.SetEnvironmentVariable(Variable, "1"); // children inherit it
        if (Environment.GetEnvironmentVariable(Variable) != "1") return null;
        return Listen();
    }

    /// <summary>Attaches the listeners now, until the result is disposed.</summary>
    public static IDisposable Listen()
    {
        var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name is MachineMetrics.MeterName or TransportMetrics.MeterName) listener.EnableMeasurementEvents(instrument);
            },
        };
        meters.SetMeasurementEventCallback<long>((_, _, _, _) => { });
        meters.SetMeasurementEventCallback<double>((_, _, _, _) => { });
        meters.Start();
        var traces = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MachineTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
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
