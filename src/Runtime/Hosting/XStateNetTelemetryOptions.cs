namespace XStateNet.Actors.Hosting;

/// <summary>
/// What <see cref="TelemetryHostingExtensions.WithXStateNetTelemetry(Akka.Hosting.AkkaConfigurationBuilder, Action{XStateNetTelemetryOptions}?)"/>
/// switches on or off in the actor system. A value set here is written to <c>xstatenet.telemetry.metrics</c> /
/// <c>xstatenet.telemetry.tracing</c> ahead of the node's own HOCON; one left null leaves the key to the HOCON
/// (on unless the node's configuration says off).
/// </summary>
public sealed class XStateNetTelemetryOptions
{
    /// <summary>
    /// True: the transports and machines count into their meters (<see cref="Telemetry.MachineMetrics"/>,
    /// <see cref="Transport.Telemetry.TransportMetrics"/>). False: nothing is counted for this actor system even when
    /// the meters are listened to. Null (the default): <c>xstatenet.telemetry.metrics</c> decides (on by default).
    /// </summary>
    public bool? Metrics { get; set; }

    /// <summary>
    /// True: each machine step is an activity of <see cref="Telemetry.MachineTracing"/> (when something listens to it)
    /// and the events a step sends carry its trace context. False: no activity, and no trace context is passed on in
    /// <see cref="MachineEvent.TraceContext"/> (a chain's trace ends at this node). Null (the default):
    /// <c>xstatenet.telemetry.tracing</c> decides (on by default).
    /// </summary>
    public bool? Tracing { get; set; }

    /// <summary>Registers the health checks (<c>xstatenet-transports</c>, <c>xstatenet-machines</c>). Default true.</summary>
    public bool HealthChecks { get; set; } = true;

    /// <summary>The HOCON of the switches set here, or null when none is.</summary>
    internal string? ToHocon()
    {
        var keys = new List<string>(2);
        if (Metrics is { } metrics) keys.Add($"metrics = {(metrics ? "on" : "off")}");
        if (Tracing is { } tracing) keys.Add($"tracing = {(tracing ? "on" : "off")}");
        return keys.Count == 0 ? null : $"xstatenet.telemetry {{ {string.Join(", ", keys)} }}";
    }
}
