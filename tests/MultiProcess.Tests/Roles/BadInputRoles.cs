using XStateNet.Actors.MultiProcess.Tests.Machines;

namespace XStateNet.Actors.MultiProcess.Tests.Roles;

/// <summary>Target hosts <c>pong</c>, which Peer's <c>ping</c> plays with before and after Target is fed bad input.</summary>
public sealed class BadInputRoles : ReportingRoles
{
    public BadInputRoles()
    {
        Host(Role("Target"), "pong", "ponger");
        // The first association on a loaded two-core host can take longer than the default 5 s.
        Host(Role("Peer").WithHocon("xstatenet.resolve-timeout = 30s"), "ping", "pinger");
    }
}
