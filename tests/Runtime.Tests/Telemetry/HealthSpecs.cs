using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit.Xunit2;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using XStateNet.Actors.Health;
using XStateNet.Actors.Hosting;
using XStateNet.Actors.Tests.Actors;
using XStateNet.Actors.Transport;
using Xunit.Abstractions;

namespace XStateNet.Actors.Tests.Telemetry;

/// <summary>
/// The node's health checks: machines (running, done, failed) and transports (peers alive or gone), and the Hosting
/// call that registers both with the host's health check service.
/// </summary>
public sealed class HealthSpecs(ITestOutputHelper output) : TestKit(output: output)
{
    [Fact]
    public async Task Machines_are_healthy_while_none_failed_and_degraded_naming_the_one_that_did()
    {
        var check = new MachineHealthCheck(Sys);
        var healthy = Sys.SpawnMachine("healthy", """
            { "initial": "a", "states": { "a": { "on": { "END": "done", "BREAK": { "actions": "explode" } } }, "done": { "type": "final" } } }
            """, new Dictionary<string, Action<OrchestratedContext>> { ["explode"] = _ => throw new InvalidOperationException("boom") });
        var other = Sys.SpawnMachine("running", """{ "initial": "a", "states": { "a": {} } }""", new Dictionary<string, Action<OrchestratedContext>>());
        await other.SnapshotAsync();
        healthy.Tell(new MachineEvent("END"));
        await healthy.SnapshotAsync();

        var result = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal(1, result.Data["running"]);
        Assert.Equal(1, result.Data["done"]);

        var failing = Sys.SpawnMachine("failing", """
            { "initial": "a", "states": { "a": { "on": { "BREAK": { "actions": "explode" } } } } }
            """, new Dictionary<string, Action<OrchestratedContext>> { ["explode"] = _ => throw new InvalidOperationException("boom") });
        failing.Tell(new MachineEvent("BREAK"));
        await failing.SnapshotAsync();

        result = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Equal(1, result.Data["failed"]);
        Assert.Contains("action 'explode' failed while handling 'BREAK'", (string)result.Data["failing"]);
        Assert.Contains("failing", result.Description);
    }

    [Fact]
    public async Task Transports_are_degraded_while_a_peer_is_gone_and_healthy_again_once_it_answers()
    {
        var check = new TransportHealthCheck(Sys);
        var peer = new Address("pipe", "peer", "localhost", 4242);
        var liveness = PeerLiveness.For(Sys);
        liveness.ReportAlive(peer, 1234);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        liveness.ReportGone(peer, 1234, "its process 1234 no longer exists");
        var result = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Equal("gone: its process 1234 no longer exists", result.Data[peer.ToString()]);

        liveness.ReportAlive(peer, 5678); // restarted at the same address
        result = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal("alive (process 5678)", result.Data[peer.ToString()]);
    }

    [Fact]
    public async Task WithXStateNetTelemetry_registers_both_checks_with_the_hosts_health_check_service()
    {
        using var host = new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddHealthChecks();
                services.AddAkka("health-" + Guid.NewGuid().ToString("N")[..8], builder => builder.WithXStateNetTelemetry());
            })
            .Build();
        await host.StartAsync();
        try
        {
            var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
            Assert.Equal(HealthStatus.Healthy, report.Entries[MachineHealthCheck.Name].Status);
            Assert.Equal(HealthStatus.Healthy, report.Entries[TransportHealthCheck.Name].Status);
            Assert.Contains("xstatenet", report.Entries[MachineHealthCheck.Name].Tags);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
