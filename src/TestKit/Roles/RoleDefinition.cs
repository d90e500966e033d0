using Akka.Actor;

namespace XStateNet.Actors.TestKit;

/// <summary>
/// One role of a multi-node spec, declared in a <see cref="MultiNodeConfig"/>: the machines, actors and HOCON of
/// the node that plays it. The declaration is the test project's own code; the TestKit runs it in the child
/// process that plays the role (and reads the machine ids in the test process, to route them).
/// </summary>
public sealed class RoleDefinition
{
    private readonly List<Action<ActorSystem>> _machines = [];
    private readonly List<string> _machineIds = [];
    private readonly List<Action<ActorSystem>> _setUps = [];
    private readonly List<string> _hocon = [];
    private readonly List<RoleRoute> _routes = [];

    internal RoleDefinition(string name) => Name = name;

    /// <summary>The role's name, also the actor system name of its node.</summary>
    public string Name { get; }

    /// <summary>The ids of the machines this role hosts, in declaration order.</summary>
    public IReadOnlyList<string> MachineIds => _machineIds;

    /// <summary>Code run once the node is up (it may enter barriers with <see cref="NodeContext.EnterBarrier"/>).</summary>
    internal Func<NodeContext, Task>? Body { get; private set; }

    /// <summary>This role's HOCON, in declaration order (later wins).</summary>
    internal IReadOnlyList<string> Hocon => _hocon;

    /// <summary>
    /// Whether the node gets a route to every machine of every other role (the default). Off after
    /// <see cref="WithoutRoutes"/>: it then has only its <see cref="Route"/>s and the one to the probe.
    /// </summary>
    public bool RoutesToOtherRoles { get; private set; } = true;

    /// <summary>The routes declared with <see cref="Route"/>, in declaration order.</summary>
    public IReadOnlyList<RoleRoute> Routes => _routes;

    /// <summary>Hosts the machine <paramref name="id"/> (at <c>/user/{id}</c>) with synchronous actions and guards.</summary>
    public RoleDefinition Machine(string id, string json,
        IReadOnlyDictionary<string, Action<OrchestratedContext>> actions,
        IReadOnlyDictionary<string, Func<OrchestratedContext, bool>>? guards = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(json);
        ArgumentNullException.ThrowIfNull(actions);
        return AddMachine(id, system => system.SpawnMachine(id, json, actions, guards));
    }

    /// <summary>Hosts a machine from a full definition (async actions, delays); the factory runs in the child only.</summary>
    public RoleDefinition Machine(string id, Func<MachineDefinition> definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return Machine(id, _ => definition());
    }

    /// <summary>
    /// Hosts a machine whose definition the child makes from its node's actor system: from settings in the node's
    /// HOCON (a value one spec gives the role with <c>ConfigureRole</c>, such as a folder of that run), or from what the
    /// process keeps across its actor systems (a node that restarts its actor system calls the factory again). The
    /// factory runs in the child only.
    /// </summary>
    public RoleDefinition Machine(string id, Func<ActorSystem, MachineDefinition> definition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(definition);
        return AddMachine(id, system =>
        {
            var made = definition(system);
            system.SpawnMachine(made.Id == id ? made : throw new InvalidOperationException($"role {Name}: the definition declared as '{id}' has the id '{made.Id}'"));
        });
    }

    /// <summary>Runs <paramref name="setUp"/> on the node's actor system after its machines are spawned (plain actors, extensions).</summary>
    public RoleDefinition Setup(Action<ActorSystem> setUp)
    {
        ArgumentNullException.ThrowIfNull(setUp);
        _setUps.Add(setUp);
        return this;
    }

    /// <summary>Adds HOCON for this role's node only (it wins over <see cref="MultiNodeConfig.CommonHocon"/>).</summary>
    public RoleDefinition WithHocon(string hocon)
    {
        ArgumentNullException.ThrowIfNull(hocon);
        _hocon.Add(hocon);
        return this;
    }

    /// <summary>
    /// Routes the id <paramref name="id"/> on this node to the machine <paramref name="machineId"/> (default: the same
    /// id) of <paramref name="role"/>'s node, for example a ring's <c>next</c>. It wins over the route the node gets
    /// by default for that id.
    /// </summary>
    /// <remarks>The role is checked when the spec starts (it may be declared after this one).</remarks>
    public RoleDefinition Route(string id, string role, string? machineId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        if (machineId is not null) ArgumentException.ThrowIfNullOrWhiteSpace(machineId);
        if (_routes.Any(route => route.Id == id)) throw new ArgumentException($"role {Name} already routes '{id}'", nameof(id));
        _routes.Add(new RoleRoute(id, role, machineId ?? id));
        return this;
    }

    /// <summary>
    /// The node gets no route to the other roles' machines: it reaches them only through its own <see cref="Route"/>s,
    /// the host directory, or the senders it hears from (replies). The route to the probe stays.
    /// </summary>
    public RoleDefinition WithoutRoutes()
    {
        RoutesToOtherRoles = false;
        return this;
    }

    /// <summary>
    /// Code the node runs once it is up, beside its machines: it may wait at barriers
    /// (<see cref="NodeContext.EnterBarrier"/>) that the spec enters too. Once it has returned, the node is at every
    /// later barrier at once. An exception fails the next barrier or remote assertion with the node's error.
    /// </summary>
    public RoleDefinition Run(Func<NodeContext, Task> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (Body is not null) throw new InvalidOperationException($"role {Name} already has a Run body");
        Body = body;
        return this;
    }

    /// <summary>Spawns the machines and runs the set-ups on <paramref name="system"/>: the child's part.</summary>
    internal void SetUp(ActorSystem system)
    {
        foreach (var spawn in _machines) spawn(system);
        foreach (var setUp in _setUps) setUp(system);
    }

    private RoleDefinition AddMachine(string id, Action<ActorSystem> spawn)
    {
        if (_machineIds.Contains(id)) throw new ArgumentException($"role {Name} already hosts a machine '{id}'", nameof(id));
        _machineIds.Add(id);
        _machines.Add(spawn);
        return this;
    }
}
