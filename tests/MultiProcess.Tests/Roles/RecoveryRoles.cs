using XStateNet.Actors.MultiProcess.Tests.Machines;

namespace XStateNet.Actors.MultiProcess.Tests.Roles;

/// <summary>
/// <c>ping</c> on Left, <c>pong</c> on Right, both with short failure-detector timings so that a paused node is
/// declared dead within a few seconds: heartbeats every 200 ms, 1.5 s allowed. (The test node keeps Akka's defaults.)
/// </summary>
public sealed class RecoveryRoles : ReportingRoles
{
    private const string FastDetection = """
        akka.remote.watch-failure-detector.heartbeat-interval = 200ms
        akka.remote.watch-failure-detector.acceptable-heartbeat-pause = 1.5s
        akka.remote.watch-failure-detector.expected-response-after = 500ms
        akka.remote.watch-failure-detector.unreachable-nodes-reaper-interval = 250ms
        xstatenet.resolve-timeout = 2s
        """;

    public RecoveryRoles()
    {
        Host(Role("Left").WithHocon(FastDetection), "ping", "pinger");
        Host(Role("Right").WithHocon(FastDetection), "pong", "ponger");
    }
}
