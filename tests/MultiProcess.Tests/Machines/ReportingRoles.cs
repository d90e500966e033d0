using XStateNet.Actors.TestKit;

namespace XStateNet.Actors.MultiProcess.Tests.Machines;

/// <summary>
/// Base of the specs' role declarations: machines report to the id <c>report</c> (the spec's probe), and a role hosts
/// a machine by chart name with <see cref="Host"/>.
/// </summary>
public abstract class ReportingRoles : MultiNodeConfig
{
    /// <summary>Machines send what the spec checks to this id (<see cref="Reporting.ReportId"/>).</summary>
    protected ReportingRoles() => ProbeId = Reporting.ReportId;

    /// <summary>
    /// Hosts the machine <paramref name="id"/> with the chart <c>Machines/Charts/&lt;chart&gt;.json</c> and the actions of
    /// <see cref="ActionCatalogue"/>. The definition is made in the child, every time the node spawns its machines:
    /// each machine (and each incarnation after a restart of the node's actor system) gets fresh behaviour state.
    /// </summary>
    protected static RoleDefinition Host(RoleDefinition role, string id, string chart)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Machines", "Charts", chart + ".json");
        if (!File.Exists(path)) throw new FileNotFoundException($"no chart '{chart}' beside the tests", path);
        return role.Machine(id, () => new MachineDefinition(id, File.ReadAllText(path)) { Actions = ActionCatalogue.For(id) });
    }
}
