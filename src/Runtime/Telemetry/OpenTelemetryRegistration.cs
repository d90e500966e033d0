using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace XStateNet.Actors.Telemetry;

/// <summary>
/// OpenTelemetry wiring: the runtime's meters (<see cref="XStateNetTelemetry.MeterNames"/>) and activity source
/// (<see cref="XStateNetTelemetry.ActivitySourceNames"/>) added to the providers the application builds, so it need not
/// name them. Only OpenTelemetry's API is used: the application chooses the SDK and the exporters (OTLP, console).
/// </summary>
/// <example>
/// <code>
/// services.AddAkka("node", builder =&gt; builder.WithXStateNetTelemetry(o =&gt; o.Tracing = true)); // record; health checks
/// services.AddOpenTelemetry()
///     .WithMetrics(m =&gt; m.AddXStateNetInstrumentation().AddOtlpExporter())                   // export
///     .WithTracing(t =&gt; t.AddXStateNetInstrumentation().AddOtlpExporter());
/// // or, instead of the two AddXStateNetInstrumentation(): services.AddXStateNetTelemetry();
/// </code>
/// </example>
public static class OpenTelemetryRegistration
{
    /// <summary>
    /// Adds the runtime's meters and activity source to every <see cref="MeterProvider"/> and
    /// <see cref="TracerProvider"/> the application's <c>AddOpenTelemetry()</c> builds from this service collection.
    /// Builds no provider itself: without <c>AddOpenTelemetry()</c> it does nothing. Calling it twice adds the names once.
    /// </summary>
    public static IServiceCollection AddXStateNetTelemetry(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(Registered))) return services;
        services.AddSingleton<Registered>();
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddXStateNetInstrumentation());
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddXStateNetInstrumentation());
        return services;
    }

    /// <summary>Adds the runtime's meters (machines, transports) to a metrics provider being built.</summary>
    public static MeterProviderBuilder AddXStateNetInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(XStateNetTelemetry.MeterNames);
    }

    /// <summary>Adds the runtime's activity source (one activity per machine step) to a tracing provider being built.</summary>
    public static TracerProviderBuilder AddXStateNetInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(XStateNetTelemetry.ActivitySourceNames);
    }

    /// <summary>Marks the service collection as wired, so a second call adds nothing twice.</summary>
    private sealed class Registered;
}
