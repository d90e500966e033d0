using XStateNet.Actors.MultiProcess.Tests.Machines;

namespace XStateNet.Actors.MultiProcess.Tests.Roles;

/// <summary>
/// Left's pingers are routed to Right's <c>replier</c> and <c>pong</c>; Right has no route back and no host directory:
/// it answers only through what it learns from the senders.
/// </summary>
public sealed class ReplyRoles : ReportingRoles
{
    public ReplyRoles()
    {
        // The first association on a loaded two-core host can take longer than the default 5 s.
        var left = Role("Left").WithHocon("xstatenet.directory.enabled = off\nxstatenet.resolve-timeout = 30s");
        Host(left, "ping", "pinger");
        Host(left, "ping2", "pinger");
        var right = Role("Right").WithHocon("xstatenet.directory.enabled = off").WithoutRoutes();
        Host(right, "replier", "replier");
        Host(right, "pong", "ponger");
    }
}
