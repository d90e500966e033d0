using System.Text.RegularExpressions;

namespace XStateNet.Actors.TestKit;

/// <summary>
/// The roles of a multi-node spec, declared once in the test project: each role's machines (with the project's
/// own actions and guards), actors and HOCON, plus what every node shares. Subclass it with a public parameterless
/// constructor that declares the roles; the spec names it (<c>MultiNodeSpec&lt;ShopRoles&gt;</c>), and each child
/// process creates it again to set up the role it plays.
/// </summary>
/// <example>
/// <code>
/// public sealed class ShopRoles : MultiNodeConfig
/// {
///     public ShopRoles()
///     {
///         Role("orders").Machine("orders", OrdersJson, new Dictionary&lt;string, Action&lt;OrchestratedContext&gt;&gt; { ... });
///         Role("payments").Machine("payments", PaymentsJson, PaymentActions);
///     }
/// }
/// </code>
/// </example>
/// <remarks>
/// Every node gets a route (<c>xstatenet.machines.&lt;id&gt;</c>) to every machine of every other role, and one to
/// the spec's probe (<see cref="ProbeId"/>), so machines address each other by id across the processes.
/// </remarks>
public abstract partial class MultiNodeConfig
{
    private readonly List<RoleDefinition> _roles = [];
    private readonly List<string> _commonHocon = [];

    /// <summary>The declared roles, in declaration order.</summary>
    public IReadOnlyList<RoleDefinition> Roles => _roles;

    /// <summary>HOCON every node gets (the test node too), in declaration order.</summary>
    public IReadOnlyList<string> CommonHocon => _commonHocon;

    /// <summary>
    /// The machine id under which every node reaches the spec's probe (<see cref="MultiNodeSpec{TConfig}.Probe"/>):
    /// a machine that sends to it sends to the test. Default <c>probe</c>.
    /// </summary>
    public string ProbeId { get; protected set; } = "probe";

    /// <summary>
    /// Whether every node runs Akka's throttler (<c>applied-adapters = [trttl]</c>) so that the spec can partition
    /// and throttle links. Addresses then read <c>akka.trttl.&lt;scheme&gt;://...</c>. Off unless
    /// <see cref="EnableNetworkFaults"/> is called.
    /// </summary>
    public bool NetworkFaults { get; private set; }

    /// <summary>
    /// Whether machines find each other through the runtime's host directory instead of routes: no node (the test
    /// node included) gets routes to other roles' machines, only its own <see cref="RoleDefinition.Route"/>s and the
    /// one to the probe. A machine id may then be hosted by several roles (a second claim, movable ids). Each run has
    /// a directory of its own, removed with the run. Off unless <see cref="UseHostDirectory"/> is called; the
    /// directory itself works on pipe and shm only (it sees one host), as the runtime's <c>xstatenet.directory</c> says.
    /// </summary>
    public bool HostDirectory { get; private set; }

    /// <summary>
    /// The actor system name of every role's node, when they must share one (an Akka.Cluster: members of a cluster
    /// have the same system name; the nodes then differ by port only). Null (the default): each node is named after
    /// its role.
    /// </summary>
    public string? SystemName { get; protected set; }

    /// <summary>The actor system name of <paramref name="role"/>'s node.</summary>
    internal string SystemNameOf(RoleDefinition role) => SystemName ?? role.Name;

    /// <summary>The role named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No role has that name; the message lists the declared ones.</exception>
    public RoleDefinition this[string name] =>
        _roles.FirstOrDefault(role => role.Name == name)
        ?? throw new ArgumentException($"{GetType().Name} declares no role '{name}' (roles: {string.Join(", ", _roles.Select(r => r.Name))})", nameof(name));

    /// <summary>Declares a role; its name is the node's actor system name (letters, digits, '-' and '_').</summary>
    protected RoleDefinition Role(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var role = new RoleDefinition(name);
        _roles.Add(role);
        return role;
    }

    /// <summary>Adds HOCON every node gets (for example shorter failure detection); a role's own HOCON wins over it.</summary>
    protected void CommonConfig(string hocon)
    {
        ArgumentNullException.ThrowIfNull(hocon);
        _commonHocon.Add(hocon);
    }

    /// <summary>Runs every node with Akka's throttler so that partitions and throttling work (see <see cref="NetworkFaults"/>).</summary>
    protected void EnableNetworkFaults() => NetworkFaults = true;

    /// <summary>Machines find each other through the host directory, not routes (see <see cref="HostDirectory"/>).</summary>
    protected void UseHostDirectory() => HostDirectory = true;

    /// <summary>Every problem of the declaration at once.</summary>
    /// <exception cref="InvalidOperationException">The declaration has problems; all are listed.</exception>
    internal void Validate()
    {
        var problems = new List<string>();
        if (_roles.Count == 0) problems.Add("it declares no role");
        foreach (var role in _roles)
        {
            if (!ValidSystemName().IsMatch(role.Name)) problems.Add($"role '{role.Name}' is not a valid actor system name (letters, digits, '-', '_')");
        }
        problems.AddRange(_roles.GroupBy(role => role.Name).Where(g => g.Count() > 1).Select(g => $"role '{g.Key}' is declared {g.Count()} times"));
        if (!HostDirectory)
        {
            problems.AddRange(_roles.SelectMany(role => role.MachineIds.Select(id => (id, role.Name)))
                .GroupBy(pair => pair.id).Where(g => g.Count() > 1)
                .Select(g => $"machine id '{g.Key}' is hosted by more than one role ({string.Join(", ", g.Select(p => p.Name))}): routes by id need one home (or UseHostDirectory())"));
        }
        problems.AddRange(_roles.SelectMany(role => role.Routes.Where(route => _roles.All(other => other.Name != route.Role))
            .Select(route => $"role '{role.Name}' routes '{route.Id}' to role '{route.Role}', which is not declared")));
        if (_roles.Any(role => role.MachineIds.Contains(ProbeId))) problems.Add($"a role hosts a machine '{ProbeId}', the id of the spec's probe (ProbeId)");
        if (SystemName is { } shared && !ValidSystemName().IsMatch(shared)) problems.Add($"SystemName '{shared}' is not a valid actor system name (letters, digits, '-', '_')");
        if (problems.Count > 0) throw new InvalidOperationException($"{GetType().Name}: {string.Join("; ", problems)}");
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_-]*$")]
    private static partial Regex ValidSystemName();
}
