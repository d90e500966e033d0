using XStateNet.Actors.MultiProcess.Tests.Machines;

namespace XStateNet.Actors.MultiProcess.Tests.Roles;

/// <summary>
/// Nodes that must not start: the spec gives BadRoute a route without a port and BadSetting a value its transport
/// refuses (<c>ConfigureRole</c>), since both depend on the transport under test.
/// </summary>
public sealed class StartupFailureRoles : ReportingRoles
{
    public StartupFailureRoles()
    {
        Host(Role("BadRoute").WithoutRoutes(), "pong", "ponger");
        Host(Role("BadSetting").WithoutRoutes(), "pong2", "ponger");
    }
}
