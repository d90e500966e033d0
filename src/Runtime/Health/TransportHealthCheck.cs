using Akka.Actor;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using XStateNet.Actors.Transport;

namespace XStateNet.Actors.Health;

/// <summary>
/// The health of a node's same-host transports (pipe, shm): <see cref="HealthStatus.Healthy"/> while its transports
/// listen and every peer they know of is alive; <see cref="HealthStatus.Degraded"/> when a peer's process was judged
/// gone and none has answered at its address since; <see cref="HealthStatus.Unhealthy"/> once the actor system has
/// terminated. The data lists the listening addresses and each peer with its process or why it is gone.
/// </summary>
/// <remarks>Registered by <see cref="Hosting.TelemetryHostingExtensions.WithXStateNetTelemetry"/>; outside a host, add it to
/// <c>services.AddHealthChecks()</c> yourself.</remarks>
public sealed class TransportHealthCheck(ActorSystem system) : IHealthCheck
{
    /// <summary>The name the Hosting call registers it under.</summary>
    public const string Name = "xstatenet-transports";

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (system.WhenTerminated.IsCompleted)
            return Task.FromResult(HealthCheckResult.Unhealthy($"The actor system '{system.Name}' has terminated."));

        var liveness = PeerLiveness.For(system);
        var listening = liveness.Listening;
        var peers = liveness.Peers;
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["listening"] = listening.Select(a => a.ToString()).ToArray(),
        };
        foreach (var peer in peers)
            data[peer.Address] = peer.IsAlive ? $"alive (process {peer.ProcessId?.ToString() ?? "unknown"})" : $"gone: {peer.GoneReason}";

        var gone = peers.Where(p => !p.IsAlive).Select(p => p.Address).ToArray();
        var where = listening.Count == 0 ? "no same-host transport listens" : $"listening at {string.Join(", ", listening)}";
        return Task.FromResult(gone.Length > 0
            ? HealthCheckResult.Degraded($"{where}; {gone.Length} of {peers.Count} peers gone: {string.Join(", ", gone)}", data: data)
            : HealthCheckResult.Healthy($"{where}; {peers.Count} peers, all alive", data));
    }
}
