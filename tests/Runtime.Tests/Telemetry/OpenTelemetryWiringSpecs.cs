using System.Diagnostics;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using XStateNet.Actors.Hosting;
using XStateNet.Actors.Telemetry;

namespace XStateNet.Actors.Tests.Telemetry;

/// <summary>
/// An app that builds its OpenTelemetry providers (<c>AddOpenTelemetry().WithMetrics().WithTracing()</c>) and calls
/// <see cref="OpenTelemetryRegistration.AddXStateNetTelemetry"/> exports the machines' metrics and traces with no
/// <c>AddMeter</c>/<c>AddSource</c> of its own; without the call the same app exports none of them.
/// </summary>
public sealed class OpenTelemetryWiringSpecs
{
    [Fact]
    public async Task AddXStateNetTelemetry_puts_the_runtimes_meters_and_source_into_the_apps_providers()
    {
        var (metrics, activities) = await RunMachineInHostAsync(wire: true, chart: "otel-wired");

        var handled = metrics.SingleOrDefault(m => m.Name == MachineMetrics.EventsHandled);
        Assert.NotNull(handled);
        Assert.Contains(Points(handled), p => Tag(p, MachineMetrics.ChartTag) == "otel-wired" && p.GetSumLong() >= 1);
        Assert.Contains(metrics, m => m.MeterName == MachineMetrics.MeterName && m.Name == MachineMetrics.StepDuration);
        Assert.Contains(activities, a => a.Source.Name == MachineTracing.SourceName
            && (string?)a.GetTagItem(MachineTracing.MachineIdTag) == "otel-door"
            && (string?)a.GetTagItem(MachineTracing.EventTag) == "OPEN");
    }

    [Fact]
    public async Task Without_the_call_the_same_app_exports_none_of_them()
    {
        var (metrics, activities) = await RunMachineInHostAsync(wire: false, chart: "otel-unwired");

        Assert.DoesNotContain(metrics, m => m.MeterName is MachineMetrics.MeterName or Transport.Telemetry.TransportMetrics.MeterName);
        Assert.DoesNotContain(activities, a => a.Source.Name == MachineTracing.SourceName);
    }

    private static async Task<(List<Metric> Metrics, List<Activity> Activities)> RunMachineInHostAsync(bool wire, string chart)
    {
        var metrics = new List<Metric>();
        var activities = new List<Activity>();
        using var host = new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddOpenTelemetry()
                    .WithMetrics(m => m.AddInMemoryExporter(metrics))
                    .WithTracing(t => t.AddInMemoryExporter(activities));
                if (wire) services.AddXStateNetTelemetry().AddXStateNetTelemetry(); // twice: names added once
                services.AddAkka("otel-" + Guid.NewGuid().ToString("N")[..8], builder => builder.WithXStateNetTelemetry());
            })
            .Build();
        await host.StartAsync();
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            var door = system.SpawnMachine("otel-door", $$"""
                { "id": "{{chart}}", "initial": "closed", "states": { "closed": { "on": { "OPEN": "open" } }, "open": {} } }
                """, new Dictionary<string, Action<OrchestratedContext>>());
            door.Tell(new MachineEvent("OPEN"));
            var snapshot = await door.Ask<MachineSnapshot>(GetMachineSnapshot.Instance, TimeSpan.FromSeconds(10));
            Assert.Equal(["open"], snapshot.ActiveStates);

            Assert.True(host.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));
            Assert.True(host.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
            lock (activities) return (metrics.ToList(), activities.ToList());
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static List<MetricPoint> Points(Metric metric)
    {
        var points = new List<MetricPoint>();
        foreach (ref readonly var point in metric.GetMetricPoints()) points.Add(point);
        return points;
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key) return tag.Value as string;
        }
        return null;
    }
}
