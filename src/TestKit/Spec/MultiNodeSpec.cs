using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.TestKit;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.TestKit.Child;
using XStateNet.Actors.TestKit.Processes;
using XStateNet.Actors.TestKit.Protocol;
using XStateNet.Actors.TestKit.Transports;
using Xunit;
using Xunit.Abstractions;

namespace XStateNet.Actors.TestKit;

/// <summary>
/// Base of a multi-node spec over real processes. The roles come from <typeparamref name="TConfig"/>; each runs in
/// a child process that is the test assembly itself, so the roles' machines are the project's own code. The test
/// process is a node too: <see cref="UseTransport"/> (first line of every theory) puts it on the transport under
/// test, with <see cref="Probe"/> receiving what the children's machines send to the probe id.
/// </summary>
/// <remarks>
/// Every child's log goes to the test output as it is printed, prefixed with its role. When the spec ends, pass or
/// fail, every child is killed by process id and every pipe and socket of the run removed; the spec fails if a
/// process or a file is left. Children also end by themselves when the test process goes away (a cancelled run).
/// </remarks>
/// <typeparam name="TConfig">The roles, declared in the test project.</typeparam>
[Collection(MultiNodeCollection.Name)]
public abstract class MultiNodeSpec<TConfig> : Akka.TestKit.Xunit2.TestKit where TConfig : MultiNodeConfig, new()
{
    private static readonly Config BootstrapConfig = ConfigurationFactory.ParseString("akka.loglevel = WARNING");

    private readonly ITestOutputHelper _output;
    private readonly Dictionary<string, RoleNode> _current = new(StringComparer.Ordinal);
    private readonly List<RoleNode> _all = [];
    private readonly RunNames _run = new();
    private NodePlan? _plan;
    private TestProbe? _probe;

    /// <summary>Starts on a local actor system; <see cref="UseTransport"/> switches to the transport under test.</summary>
    /// <exception cref="InvalidOperationException">The config declares its roles wrongly (every problem listed).</exception>
    protected MultiNodeSpec(ITestOutputHelper output) : base(BootstrapConfig, "bootstrap", output)
    {
        _output = output;
        Roles = new TConfig();
        Roles.Validate();
    }

    /// <summary>The roles, as declared.</summary>
    protected TConfig Roles { get; }

    /// <summary>How long a child may take to print READY (several start at once on few cores). Default 60 s.</summary>
    protected virtual TimeSpan StartTimeout => TimeSpan.FromSeconds(60);

    /// <summary>How long barriers, remote assertions and link changes wait by default. Default 30 s.</summary>
    protected virtual TimeSpan RemoteTimeout => TimeSpan.FromSeconds(30);

    /// <summary>Receives what the children's machines send to <see cref="MultiNodeConfig.ProbeId"/>.</summary>
    protected TestProbe Probe => _probe ?? throw NotStarted();

    /// <summary>The transport under test: <c>tcp</c>, <c>pipe</c>, <c>shm</c> or <c>same-host</c>.</summary>
    protected string TransportName => Plan.Transport.Name;

    /// <summary>The test node's own address.</summary>
    protected Address SelfAddress => ((ExtendedActorSystem)Sys).Provider.DefaultAddress;

    private NodePlan Plan => _plan ?? throw NotStarted();

    /// <summary>Makes the test process a node on <paramref name="transport"/> (one of <see cref="MultiNodeTransports.AllAndSameHost"/>).</summary>
    protected async Task UseTransport(string transport)
    {
        if (_plan is not null) throw new InvalidOperationException("UseTransport is called once per spec");
        _plan = new NodePlan(Roles, TransportCatalogue.Get(transport), _run);
        var config = ConfigurationFactory.ParseString(_plan.TestNodeHocon())
            .WithFallback(_plan.Transport.ReadyConfig())
            .WithFallback(XStateNetConfig.Default);
        var bootstrap = Sys;
        InitializeTest(null, ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(config)), "test", null);
        InitializeLogger(Sys);
        await bootstrap.Terminate();
        _probe = CreateTestProbe("probe");
        Sys.ActorOf(Props.Create(() => new ProbeRelay(_probe.Ref)), NodePlan.ProbeActorName);
        Note($"test node {SelfAddress} (pid {Environment.ProcessId}), run {_run}");
    }

    /// <summary>The planned address of <paramref name="role"/>'s node (known before it starts).</summary>
    protected Address AddressOf(string role) => Plan.AddressOf(role);

    /// <summary>The running node of <paramref name="role"/>.</summary>
    protected RoleNode Node(string role)
    {
        lock (_current) return _current.TryGetValue(role, out var node) ? node : throw new InvalidOperationException($"role {role} has not been started");
    }

    /// <summary>Starts a child for each role (every declared role when none is named) and waits until all are ready.</summary>
    /// <exception cref="TimeoutException">A child did not get ready; the message has its whole log.</exception>
    protected async Task<RoleNode[]> StartNodes(params string[] roles)
    {
        if (roles.Length == 0) roles = Roles.Roles.Select(role => role.Name).ToArray();
        var started = new RoleNode[roles.Length];
        for (var i = 0; i < roles.Length; i++)
        {
            lock (_current)
            {
                if (_current.TryGetValue(roles[i], out var running) && !running.HasExited) throw new InvalidOperationException($"role {roles[i]} is already running ({running})");
            }
            started[i] = Launch(Roles[roles[i]]);
        }
        await Task.WhenAll(started.Select(node => node.WaitUntilReady(StartTimeout)));
        foreach (var node in started) Note($"{node} is ready");
        return started;
    }

    /// <summary>
    /// Adds HOCON for <paramref name="role"/>'s nodes that this spec starts from now on (it wins over the role's own
    /// HOCON): a setting one theory case or one spec varies, such as a refused value or a feature turned off.
    /// </summary>
    /// <exception cref="ArgumentException">No such role.</exception>
    protected void ConfigureRole(string role, string hocon)
    {
        ArgumentNullException.ThrowIfNull(hocon);
        Plan.AddSpecHocon(role, hocon);
    }

    /// <summary>
    /// Starts <paramref name="role"/> at a new address (a new port), for a successor that others must find again
    /// (through the host directory) rather than at the address they knew. The role's previous node must have ended
    /// (<see cref="Kill"/>); nodes started afterwards get routes to the new address.
    /// </summary>
    /// <exception cref="InvalidOperationException">The role's node still runs.</exception>
    protected async Task<RoleNode> StartAtNewAddress(string role)
    {
        lock (_current)
        {
            if (_current.TryGetValue(role, out var running) && !running.HasExited) throw new InvalidOperationException($"role {role} still runs ({running}): kill it first");
        }
        Note($"{role} moves to {Plan.Relocate(role)}");
        return (await StartNodes(role))[0];
    }

    /// <summary>Kills <paramref name="role"/>'s node (<c>kill -9</c>) if it runs, then starts it again at the same address.</summary>
    protected async Task<RoleNode> Restart(string role)
    {
        await Kill(role);
        return (await StartNodes(role))[0];
    }

    /// <summary><c>kill -9</c> on <paramref name="role"/>'s node, and waits until the process is gone.</summary>
    protected async Task Kill(string role)
    {
        var node = Node(role);
        node.Kill();
        if (!await node.WaitForExit(TimeSpan.FromSeconds(10))) throw new InvalidOperationException($"{node} still runs 10 s after kill -9");
        Note($"{node} killed");
    }

    /// <summary>The machine <paramref name="machineId"/> of <paramref name="role"/>'s node, by path.</summary>
    protected ActorSelection Machine(string role, string machineId) => Sys.ActorSelection($"{Plan.AddressOf(role)}/user/{machineId}");

    /// <summary>The machine <paramref name="machineId"/>, on whichever role hosts it.</summary>
    protected ActorSelection Machine(string machineId) => Machine(Plan.RoleHosting(machineId), machineId);

    /// <summary>A snapshot of a remote machine (states and context), asked across the processes.</summary>
    protected Task<MachineSnapshot> Snapshot(string machineId, TimeSpan? timeout = null) =>
        Machine(machineId).Ask<MachineSnapshot>(GetMachineSnapshot.Instance, timeout ?? RemoteTimeout);

    /// <summary>A snapshot of the machine <paramref name="machineId"/> of <paramref name="role"/>'s node.</summary>
    protected Task<MachineSnapshot> Snapshot(string role, string machineId, TimeSpan? timeout = null) =>
        Machine(role, machineId).Ask<MachineSnapshot>(GetMachineSnapshot.Instance, timeout ?? RemoteTimeout);

    /// <summary>
    /// The actor of the machine <paramref name="machineId"/> on <paramref name="role"/>'s node (Akka's <c>Identify</c>
    /// across the processes), for <c>Watch</c> or comparing incarnations.
    /// </summary>
    /// <exception cref="InvalidOperationException">Nothing answers at that path.</exception>
    protected async Task<IActorRef> Resolve(string role, string machineId, TimeSpan? timeout = null)
    {
        var identity = await Machine(role, machineId).Ask<ActorIdentity>(new Identify(machineId), timeout ?? RemoteTimeout);
        return identity.Subject ?? throw new InvalidOperationException($"nothing answers at {Plan.AddressOf(role)}/user/{machineId}");
    }

    /// <summary>Every child's log so far (killed and restarted ones too), each under its role and pid: for failure messages.</summary>
    protected string NodesLog()
    {
        lock (_current) return string.Join('\n', _all.Select(node => $"--- {node} ---\n{node.Log}"));
    }

    /// <summary>
    /// Enters the barrier <paramref name="name"/> and waits until every running node is there too: a node whose
    /// <see cref="RoleDefinition.Run"/> body still runs is there once the body calls
    /// <see cref="NodeContext.EnterBarrier"/> with this name (or ends); other nodes are there at once. Then all go on.
    /// </summary>
    /// <exception cref="TimeoutException">Some nodes did not arrive in time; the message names them.</exception>
    /// <exception cref="RemoteNodeException">A node's Run body failed.</exception>
    protected async Task EnterBarrier(string name, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var nodes = Running();
        var limit = timeout ?? RemoteTimeout;
        var arrivals = nodes.Select(node => Agent(node).Ask<BarrierArrived>(new BarrierQuery(name), limit)).ToArray();
        try
        {
            await Task.WhenAll(arrivals);
        }
        catch (Exception) when (arrivals.Any(arrival => !arrival.IsCompletedSuccessfully))
        {
            var missing = nodes.Where((_, i) => !arrivals[i].IsCompletedSuccessfully).Select(node => node.Role);
            throw new TimeoutException($"barrier '{name}': {string.Join(", ", missing)} did not arrive within {limit.TotalSeconds:0} s");
        }
        if (arrivals.Select(arrival => arrival.Result).FirstOrDefault(arrived => arrived.Error is not null) is { } failed)
        {
            throw new RemoteNodeException(failed.Role, $"its Run body failed before barrier '{name}': {failed.Error}");
        }
        foreach (var node in nodes) Agent(node).Tell(new BarrierPass(name));
        Note($"barrier '{name}' passed by {string.Join(", ", nodes.Select(node => node.Role))}");
    }

    /// <summary>
    /// Runs <paramref name="assertion"/> in <paramref name="role"/>'s process and waits for its outcome: a failure
    /// there fails the spec here, with the node's exception. The lambda must capture nothing (it runs in another
    /// process); pass values with the overload that takes an argument.
    /// </summary>
    /// <exception cref="RemoteNodeException">The assertion failed on the node.</exception>
    protected Task RunOn(string role, Func<NodeContext, Task> assertion, TimeSpan? timeout = null) =>
        Execute(role, RemoteCall.Encode(assertion, withArgument: false, argument: null), timeout);

    /// <summary>Runs <paramref name="assertion"/> on <paramref name="role"/>'s node with <paramref name="argument"/> (which crosses like a message).</summary>
    /// <exception cref="RemoteNodeException">The assertion failed on the node.</exception>
    protected Task RunOn<TArgument>(string role, TArgument argument, Func<NodeContext, TArgument, Task> assertion, TimeSpan? timeout = null) =>
        Execute(role, RemoteCall.Encode(assertion, withArgument: true, argument), timeout);

    /// <summary>Cuts the link between two nodes in both directions (Akka's throttler: blackhole). Needs <see cref="MultiNodeConfig.NetworkFaults"/>.</summary>
    protected Task Partition(string role, string otherRole) => SetLinks(role, otherRole, "blackhole", 0);

    /// <summary>Restores the link between two nodes (unthrottled).</summary>
    protected Task Heal(string role, string otherRole) => SetLinks(role, otherRole, "unthrottled", 0);

    /// <summary>Limits the link between two nodes to <paramref name="bytesPerSecond"/> in both directions.</summary>
    protected Task Throttle(string role, string otherRole, double bytesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytesPerSecond);
        return SetLinks(role, otherRole, "throttle", bytesPerSecond);
    }

    /// <summary>Writes to the test output; harmless after the test has finished.</summary>
    protected void Note(string line)
    {
        try
        {
            _output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // the test is over; a child's last words have nowhere to go
        }
    }

    /// <summary>Kills every child by process id before the test node shuts down.</summary>
    protected override void AfterAll()
    {
        RoleNode[] all;
        lock (_current) all = _all.ToArray();
        foreach (var node in all) node.Kill();
        foreach (var node in all) node.Dispose();
        base.AfterAll();
    }

    /// <summary>After the test node's shutdown: removes the run's files and fails the spec if a process or a file is left.</summary>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        var leftovers = new List<string>();
        int[] pids;
        lock (_current) pids = _all.Select(node => node.Pid).ToArray();
        leftovers.AddRange(ProcessRegistry.StillRunning(pids).Select(pid => $"process {pid} still runs"));
        if (_plan is { } plan)
        {
            // Killed nodes cannot remove their own pipes and sockets: that is the spec's job, not a leak.
            foreach (var file in plan.Transport.FilesOfRun(_run)) RunFiles.Delete(file);
            leftovers.AddRange(plan.Transport.FilesOfRun(_run).Select(file => $"{file} could not be removed"));
        }
        if (leftovers.Count > 0) throw new InvalidOperationException("The spec left things behind: " + string.Join("; ", leftovers));
    }

    private RoleNode Launch(RoleDefinition role)
    {
        var arguments = new ChildArguments(typeof(TConfig).AssemblyQualifiedName!, role.Name, Plan.Transport.Name,
            Plan.RoleHocon(role, ProbePath), ProbePath, Environment.ProcessId);
        var node = RoleNode.Start(role.Name, Plan.AddressOf(role.Name), ChildLaunch.For(typeof(TConfig).Assembly, arguments.ToList()), Note);
        lock (_current)
        {
            _current[role.Name] = node;
            _all.Add(node);
        }
        return node;
    }

    private string ProbePath => $"{SelfAddress}/user/{NodePlan.ProbeActorName}";

    private IReadOnlyList<RoleNode> Running()
    {
        lock (_current) return _current.Values.Where(node => !node.HasExited).ToList();
    }

    private ActorSelection Agent(RoleNode node) => Sys.ActorSelection($"{node.Address}/user/{AgentPath.Name}");

    private async Task Execute(string role, RunAssertion call, TimeSpan? timeout)
    {
        var node = Node(role);
        AssertionOutcome outcome;
        try
        {
            outcome = await Agent(node).Ask<AssertionOutcome>(call, timeout ?? RemoteTimeout);
        }
        catch (AskTimeoutException e)
        {
            throw new RemoteNodeException(role, $"{call.MethodName} gave no outcome within {(timeout ?? RemoteTimeout).TotalSeconds:0} s ({e.Message})");
        }
        if (outcome.Failure is { } failure) throw new RemoteNodeException(role, failure);
    }

    private async Task SetLinks(string role, string otherRole, string mode, double bytesPerSecond)
    {
        if (!Roles.NetworkFaults)
        {
            throw new InvalidOperationException($"{typeof(TConfig).Name} must call EnableNetworkFaults() in its constructor for partitions and throttling (Akka's throttler adapter)");
        }
        var sides = new[] { (Node(role), Plan.AddressOf(otherRole)), (Node(otherRole), Plan.AddressOf(role)) };
        var results = await Task.WhenAll(sides.Select(side =>
            Agent(side.Item1).Ask<LinkSet>(new SetLink(side.Item2.ToString(), mode, bytesPerSecond), RemoteTimeout)));
        if (results.FirstOrDefault(result => result.Error is not null) is { } failed) throw new RemoteNodeException(failed.Role, $"{mode} failed: {failed.Error}");
        Note($"link {role} <-> {otherRole}: {mode}{(mode == "throttle" ? $" {bytesPerSecond:0} B/s" : "")}");
    }

    private static InvalidOperationException NotStarted() => new("call UseTransport(transport) first");
}
