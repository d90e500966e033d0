using XStateNet.Actors.MultiProcess.Tests.Machines;

namespace XStateNet.Actors.MultiProcess.Tests.Roles;

/// <summary>Target hosts <c>pong</c>, which Peer's <c>ping</c> plays with before and after Target is fed bad input.</summary>
public sealed class BadInputRoles : ReportingRoles
{
    public BadInputRoles()
    {
        Host(Role("Target"), "pong", "ponger");
        Host(Role("Peer"), "ping", "pinger");
    }
}
