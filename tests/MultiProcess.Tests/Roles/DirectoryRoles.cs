using XStateNet.Actors.MultiProcess.Tests.Machines;

namespace XStateNet.Actors.MultiProcess.Tests.Roles;

/// <summary>
/// Nodes that find each other's machines through the host directory only (no routes but the spec's report), in a
/// directory of the run's own. Some ids are hosted by several roles: a second claim of <c>sink</c> must fail, a
/// movable one must win.
/// </summary>
public sealed class DirectoryRoles : ReportingRoles
{
    /// <summary>The first association on a loaded two-core host can take longer than the default 5 s.</summary>
    private const string PatientResolve = "xstatenet.resolve-timeout = 30s";

    public DirectoryRoles()
    {
        UseHostDirectory();
        var left = Role("Left").WithHocon(PatientResolve);
        Host(left, "ping", "pinger");
        Host(left, "asker", "pinger");
        Host(left, "caster", "broadcaster");
        var right = Role("Right");
        Host(right, "pong", "ponger");
        Host(right, "s1", "sink");
        var third = Role("Third");
        Host(third, "answerer", "replier");
        Host(third, "s2", "sink");

        Host(Role("First"), "sink", "sink");
        Host(Role("Second"), "sink", "sink");
        Host(Role("Mover").WithHocon("xstatenet.directory.movable-ids = [sink]"), "sink", "sink");
        Host(Role("Caster").WithHocon(PatientResolve), "caster", "broadcaster");
    }
}
