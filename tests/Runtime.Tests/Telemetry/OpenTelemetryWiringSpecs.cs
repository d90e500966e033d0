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
/// An app that builds its OpenTelemetry providers (<c>AddOpenTelemetry().WithMetrics().WithTracing()</c>) exports the
/// machines' metrics and traces with no <c>AddMeter</c>/<c>AddSource</c> of its own, whether it calls
/// <see cref="OpenTelemetryRegistration.AddXStateNetTelemetry"/> on its services or gives each provider builder
/// <c>AddXStateNetInstrumentation()</c> beside the Akka.Hosting call <c>WithXStateNetTelemetry</c>; without either the
/// same app exports none of them, and with the Hosting call switching metrics and tracing off it exports none either.
/// </summary>
public sealed class OpenTelemetryWiringSpecs
{
    public enum Wiring
    {
        None,
        Services,
        ProviderBuilders,
    }

    [Theory]
    [InlineData(Wiring.Services)]
    [InlineData(Wiring.ProviderBuilders)]
    public async Task The_runtimes_meters_and_source_reach_the_apps_providers(Wiring wiring)
    {
        var chart = "otel-wired-" + wiring;
        var (metrics, activities, door) = await RunMachineInHostAsync(wiring, chart);

        var handled = metrics.SingleOrDefault(m => m.Name == MachineMetrics.EventsHandled);
        Assert.NotNull(handled);
        Assert.Contains(Points(handled), p => Tag(p, MachineMetrics.ChartTag) == chart && p.GetSumLong() >= 1);
        Assert.Contains(metrics, m => m.MeterName == MachineMetrics.MeterName && m.Name == MachineMetrics.StepDuration);
        Assert.Contains(activities, a => a.Source.Name == MachineTracing.SourceName
            && (string?)a.GetTagItem(MachineTracing.MachineIdTag) == door
            && (string?)a.GetTagItem(MachineTracing.EventTag) == "OPEN");
    }

    [Fact]
    public async Task Without_the_call_the_same_app_exports_none_of_them()
    {
        var (metrics, activities, _) = await RunMachineInHostAsync(Wiring.None, "otel-unwired");

        Assert.DoesNotContain(metrics, m => m.MeterName is MachineMetrics.MeterName or Transport.Telemetry.TransportMetrics.MeterName);
        Assert.DoesNotContain(activities, a => a.Source.Name == MachineTracing.SourceName);
    }

    [Fact]
    public async Task Switched_off_by_the_Hosting_call_the_wired_app_exports_nothing_of_the_nodes_machines()
    {
        const string chart = "otel-switched-off";
        var (metrics, activities, door) = await RunMachineInHostAsync(Wiring.ProviderBuilders, chart, o =>
        {
            o.Metrics = false;
            o.Tracing = false;
        });

        Assert.DoesNotContain(metrics.SelectMany(Points), p => Tag(p, MachineMetrics.ChartTag) == chart);
        Assert.DoesNotContain(activities, a => (string?)a.GetTagItem(MachineTracing.MachineIdTag) == door);
    }

    [Theory]
    [InlineData("xstatenet.telemetry.metrics = maybe", "xstatenet.telemetry.metrics")]
    [InlineData("xstatenet.telemetry.tracing = 3", "xstatenet.telemetry.tracing")]
    [InlineData("xstatenet.telemetry.metric = on", "xstatenet.telemetry.metric")]
    public async Task A_bad_switch_fails_the_hosts_start_naming_its_key(string hocon, string key)
    {
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("otel-bad-" + Guid.NewGuid().ToString("N")[..8], builder => builder
                .WithXStateNetTelemetry()
                .AddHocon(hocon, HoconAddMode.Prepend)))
            .Build();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.Contains(key, error.ToString());
        await host.StopAsync();
    }

    private static async Task<(List<Metric> Metrics, List<Activity> Activities, string Door)> RunMachineInHostAsync(Wiring wiring,
        string chart, Action<XStateNetTelemetryOptions>? telemetry = null)
    {
        var metrics = new List<Metric>();
        var activities = new List<Activity>();
        var doorId = "otel-door-" + Guid.NewGuid().ToString("N")[..8];
        using var host = new HostBuilder()
            .ConfigureServices(services =>
            {
                var builders = wiring == Wiring.ProviderBuilders;
                services.AddOpenTelemetry()
                    .WithMetrics(m =>
                    {
                        if (builders) m.AddXStateNetInstrumentation();
                        m.AddInMemoryExporter(metrics);
                    })
                    .WithTracing(t =>
                    {
                        if (builders) t.AddXStateNetInstrumentation();
                        t.AddInMemoryExporter(activities);
                    });
                if (wiring == Wiring.Services) services.AddXStateNetTelemetry().AddXStateNetTelemetry(); // twice: names added once
                services.AddAkka("otel-" + Guid.NewGuid().ToString("N")[..8], builder => builder.WithXStateNetTelemetry(telemetry));
            })
            .Build();
        await host.StartAsync();
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            var door = system.SpawnMachine(doorId, $$"""
                { "id": "{{chart}}", "initial": "closed", "states": { "closed": { "on": { "OPEN": "open" } }, "open": {} } }
                """, new Dictionary<string, Action<OrchestratedContext>>());
            door.Tell(new MachineEvent("OPEN"));
            var snapshot = await door.Ask<MachineSnapshot>(GetMachineSnapshot.Instance, TimeSpan.FromSeconds(10));
            Assert.Equal(["open"], snapshot.ActiveStates);

            Assert.True(host.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));
            Assert.True(host.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
            lock (activities) return (metrics.ToList(), activities.ToList(), doorId);
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
