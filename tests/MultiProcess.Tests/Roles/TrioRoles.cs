using XStateNet.Actors.MultiProcess.Tests.Machines;

namespace XStateNet.Actors.MultiProcess.Tests.Roles;

/// <summary>
/// Victim hosts <c>pong</c>; Survivor hosts <c>ping</c>, which plays with <c>pong</c> (so its machine watches it);
/// Other hosts <c>pong2</c>, which Survivor can still play with once the victim is gone.
/// </summary>
public sealed class TrioRoles : ReportingRoles
{
    public TrioRoles()
    {
        Host(Role("Victim"), "pong", "ponger");
        Host(Role("Survivor"), "ping", "pinger");
        Host(Role("Other"), "pong2", "ponger");
    }
}
