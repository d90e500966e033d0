using Akka.Actor;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using XStateNet.Actors.Inspection;

namespace XStateNet.Actors.Health;

/// <summary>
/// The health of a node's machines: <see cref="HealthStatus.Healthy"/> while none has failed;
/// <see cref="HealthStatus.Degraded"/> when one has (a step it could not finish, or a runtime error event its chart
/// does not handle, see <see cref="MachineStatus.Failure"/>); <see cref="HealthStatus.Unhealthy"/> once the actor system
/// has terminated. The data counts running, done and failed machines and says why each failed one failed.
/// </summary>
/// <remarks>Registered by <see cref="Hosting.TelemetryHostingExtensions.WithXStateNetTelemetry"/>; outside a host, add it to
/// <c>services.AddHealthChecks()</c> yourself.</remarks>
public sealed class MachineHealthCheck(ActorSystem system) : IHealthCheck
{
    /// <summary>The name the Hosting call registers it under.</summary>
    public const string Name = "xstatenet-machines";

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (system.WhenTerminated.IsCompleted)
            return Task.FromResult(HealthCheckResult.Unhealthy($"The actor system '{system.Name}' has terminated."));

        var statuses = MachineObservation.For(system).Statuses;
        var failed = statuses.Where(s => s.HasFailed).ToArray();
        var done = statuses.Count(s => s.IsDone);
        var running = statuses.Count - done;
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["running"] = running,
            ["done"] = done,
            ["failed"] = failed.Length,
        };
        foreach (var machine in failed) data[machine.Id] = machine.Failure!;

        var summary = $"{statuses.Count} machines: {running} running, {done} done, {failed.Length} failed";
        return Task.FromResult(failed.Length > 0
            ? HealthCheckResult.Degraded($"{summary} ({string.Join(", ", failed.Select(f => f.Id))})", data: data)
            : HealthCheckResult.Healthy(summary, data));
    }
}
