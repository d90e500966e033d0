namespace XStateNet.Actors.Telemetry;

/// <summary>
/// The names to give OpenTelemetry: <c>AddMeter(XStateNetTelemetry.MeterNames)</c> and
/// <c>AddSource(XStateNetTelemetry.ActivitySourceNames)</c>. The instruments and activities exist whether or not
/// anyone listens; unlistened they cost a field read each.
/// </summary>
public static class XStateNetTelemetry
{
    /// <summary>The machines' meter (<see cref="MachineMetrics"/>) and the transports' (<see cref="Transport.Telemetry.TransportMetrics"/>).</summary>
    public static readonly string[] MeterNames = [MachineMetrics.MeterName, Transport.Telemetry.TransportMetrics.MeterName];

    /// <summary>The machines' activity source (<see cref="MachineTracing"/>).</summary>
    public static readonly string[] ActivitySourceNames = [MachineTracing.SourceName];
}
