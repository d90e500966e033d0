using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using XStateNet.Actors.Health;
using XStateNet.Actors.Transport.Telemetry;

namespace XStateNet.Actors.Hosting;

/// <summary>Akka.Hosting: what an operator sees of a node (metrics and traces switched on, health checks).</summary>
public static class TelemetryHostingExtensions
{
    /// <summary>
    /// Adds the runtime (<see cref="MachineHostingExtensions.WithXStateNet"/>), switches the node's metrics and tracing
    /// on or off as <paramref name="configure"/> says (<c>xstatenet.telemetry.metrics</c> and <c>.tracing</c>, written
    /// ahead of the node's HOCON; both on unless set off here or in the HOCON; read once as the actor system starts, a
    /// bad value failing the start with its key named), and registers the node's health checks with the host:
    /// <see cref="TransportHealthCheck"/> (<c>xstatenet-transports</c>) and <see cref="MachineHealthCheck"/>
    /// (<c>xstatenet-machines</c>), tagged <c>xstatenet</c>. They answer through the app's
    /// <c>services.AddHealthChecks()</c> (its <c>HealthCheckService</c>, or <c>MapHealthChecks</c> in ASP.NET Core).
    /// </summary>
    /// <remarks>
    /// This call makes the actor system record; exporting is OpenTelemetry's side, as for Akka's Phobos: give the app's
    /// providers <see cref="Telemetry.OpenTelemetryRegistration.AddXStateNetInstrumentation(OpenTelemetry.Metrics.MeterProviderBuilder)"/>
    /// (<c>.WithMetrics(m =&gt; m.AddXStateNetInstrumentation())</c>, <c>.WithTracing(t =&gt; t.AddXStateNetInstrumentation())</c>),
    /// or call <see cref="Telemetry.OpenTelemetryRegistration.AddXStateNetTelemetry"/> on the service collection, which
    /// adds both to whatever providers the app builds. An Akka.Hosting builder cannot reach OpenTelemetry's provider
    /// configuration itself: it keeps its service collection to itself and runs its callbacks once the container is built.
    /// </remarks>
    public static AkkaConfigurationBuilder WithXStateNetTelemetry(this AkkaConfigurationBuilder builder,
        Action<XStateNetTelemetryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new XStateNetTelemetryOptions();
        configure?.Invoke(options);
        builder.WithXStateNet().AddStartup((system, _) => TelemetrySwitches.For(system));
        if (options.ToHocon() is { } switches) builder.AddHocon(ConfigurationFactory.ParseString(switches), HoconAddMode.Prepend);
        if (!options.HealthChecks) return builder;
        string[] tags = ["xstatenet"];
        return builder
            .WithHealthCheck(TransportHealthCheck.Name,
                (system, _, cancellation) => new TransportHealthCheck(system).CheckHealthAsync(new HealthCheckContext(), cancellation),
                HealthStatus.Unhealthy, tags)
            .WithHealthCheck(MachineHealthCheck.Name,
                (system, _, cancellation) => new MachineHealthCheck(system).CheckHealthAsync(new HealthCheckContext(), cancellation),
                HealthStatus.Unhealthy, tags);
    }
}
