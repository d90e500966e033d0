using Akka.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using XStateNet.Actors.Health;

namespace XStateNet.Actors.Hosting;

/// <summary>Akka.Hosting: what an operator sees of a node (health checks; the meters and traces to export).</summary>
public static class TelemetryHostingExtensions
{
    /// <summary>
    /// Adds the runtime (<see cref="MachineHostingExtensions.WithXStateNet"/>) and registers the node's health checks
    /// with the host: <see cref="TransportHealthCheck"/> (<c>xstatenet-transports</c>) and
    /// <see cref="MachineHealthCheck"/> (<c>xstatenet-machines</c>), tagged <c>xstatenet</c>. They answer through the
    /// app's <c>services.AddHealthChecks()</c> (its <c>HealthCheckService</c>, or <c>MapHealthChecks</c> in ASP.NET Core).
    /// </summary>
    /// <remarks>
    /// The meters and the activity source need nothing switched on. To export them, call
    /// <see cref="Telemetry.OpenTelemetryRegistration.AddXStateNetTelemetry"/> on the same service collection beside the
    /// app's <c>AddOpenTelemetry()</c>: it adds their names to the providers the app builds (an Akka.Hosting builder
    /// cannot reach the service collection, so this half is a service-collection call).
    /// </remarks>
    public static AkkaConfigurationBuilder WithXStateNetTelemetry(this AkkaConfigurationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string[] tags = ["xstatenet"];
        return builder.WithXStateNet()
            .WithHealthCheck(TransportHealthCheck.Name,
                (system, _, cancellation) => new TransportHealthCheck(system).CheckHealthAsync(new HealthCheckContext(), cancellation),
                HealthStatus.Unhealthy, tags)
            .WithHealthCheck(MachineHealthCheck.Name,
                (system, _, cancellation) => new MachineHealthCheck(system).CheckHealthAsync(new HealthCheckContext(), cancellation),
                HealthStatus.Unhealthy, tags);
    }
}
