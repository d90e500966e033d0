using XStateNet.Actors.MultiProcess.Tests.Machines;

namespace XStateNet.Actors.MultiProcess.Tests.Roles;

/// <summary><c>ping</c> on Left and <c>pong</c> on Right, each routed to the other by id.</summary>
public sealed class PingPongRoles : ReportingRoles
{
    public PingPongRoles()
    {
        Host(Role("Left"), "ping", "pinger");
        Host(Role("Right"), "pong", "ponger");
    }
}
