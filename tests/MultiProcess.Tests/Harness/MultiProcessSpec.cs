using System.Diagnostics;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Configuration;
using Xunit.Abstractions;

namespace XStateNet.Actors.MultiProcess.Tests.Harness;

/// <summary>
/// Base of the multi-process specs. The test process is itself a node: <see cref="UseTransport"/> (first line
/// of every theory) replaces the TestKit's system by one on the transport under test, with an actor at
/// <c>/user/report</c> whose messages arrive at <see cref="Reports"/>. <see cref="StartNodes"/> starts child
/// node hosts and waits for their ready lines; their output goes to the test output. Disposing kills every child
/// by process id, removes the pipes and segments of this run, and fails the spec if anything is left.
/// </summary>
[Collection(MultiProcessCollection.Name)]
public abstract class MultiProcessSpec : TestKit
{
    /// <summary>Generous: several children start at once on two cores, next to other builds.</summary>
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private static readonly Config BootstrapConfig = ConfigurationFactory.ParseString("akka.loglevel = WARNING");

    private readonly ITestOutputHelper _output;
    private readonly List<ChildNode> _children = new();
    private TransportUnderTest? _transport;
    private TestProbe? _reports;

    /// <summary>Starts on a local system; <see cref="UseTransport"/> switches to the transport under test.</summary>
    protected MultiProcessSpec(ITestOutputHelper output) : base(BootstrapConfig, "bootstrap", output)
    {
        _output = output;
        RunRegistry.Started(Run);
    }

    /// <summary>This spec run's unique names.</summary>
    protected RunId Run { get; } = new();

    /// <summary>The transport under test.</summary>
    protected TransportUnderTest Transport => _transport ?? throw new InvalidOperationException("call UseTransport first");

    /// <summary>Receives what the children's machines send to the machine id <c>report</c>.</summary>
    protected TestProbe Reports => _reports ?? throw new InvalidOperationException("call UseTransport first");

    /// <summary>The test node's own address.</summary>
    protected Address SelfAddress => ((ExtendedActorSystem)Sys).Provider.DefaultAddress;

    /// <summary>Makes the test process a node on <paramref name="transportName"/> (from <see cref="TransportCatalogue"/>).</summary>
    protected async Task UseTransport(string transportName)
    {
        _transport = TransportCatalogue.Get(transportName);
        var bootstrap = Sys;
        InitializeTest(null, ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(TestNodeConfig())), "test", null);
        InitializeLogger(Sys);
        await bootstrap.Terminate();
        _reports = CreateTestProbe("reports");
        Sys.ActorOf(Props.Create(() => new ReportRelay(_reports.Ref)), "report");
        Note($"test node {SelfAddress} (pid {Environment.ProcessId}), run {Run}");
    }

    /// <summary>Plans a child node: its address is fixed now, so routes can point at it before it starts.</summary>
    protected NodePlan Plan(string system) => new(system, Transport, Transport.AllocatePort(Run));

    /// <summary>Starts a child per plan, all at once, and waits until every one is ready.</summary>
    protected async Task<ChildNode[]> StartNodes(params NodePlan[] plans)
    {
        var started = new ChildNode[plans.Length];
        for (var i = 0; i < plans.Length; i++)
        {
            started[i] = ChildNode.Start(plans[i], Arguments(plans[i]), Note);
            lock (_children) _children.Add(started[i]);
        }
        await Task.WhenAll(started.Select(node => node.WaitUntilReady(ReadyTimeout)));
        foreach (var node in started)
        {
            if (node.Address != node.Plan.Address)
            {
                throw new InvalidOperationException($"{node.Plan.System} listens at {node.Address}, not at the planned {node.Plan.Address}");
            }
            Note($"{node.Plan.System} ready at {node.Address} (pid {node.Pid})");
        }
        return started;
    }

    /// <summary>Starts one child.</summary>
    protected async Task<ChildNode> StartNode(NodePlan plan) => (await StartNodes(plan))[0];

    /// <summary>The machine <paramref name="machineId"/> on <paramref name="node"/>, by path.</summary>
    protected ActorSelection Machine(NodePlan node, string machineId) => Sys.ActorSelection(node.PathOf(machineId));

    /// <summary>The machine's actor, found with <see cref="Identify"/>.</summary>
    protected async Task<IActorRef> Resolve(NodePlan node, string machineId)
    {
        var identity = await Machine(node, machineId).Ask<ActorIdentity>(new Identify(machineId), TimeSpan.FromSeconds(20));
        return identity.Subject ?? throw new InvalidOperationException($"nothing answers at {node.PathOf(machineId)}");
    }

    /// <summary>A snapshot of a remote machine, asked across the processes.</summary>
    protected Task<MachineSnapshot> Snapshot(NodePlan node, string machineId) =>
        Machine(node, machineId).Ask<MachineSnapshot>(GetMachineSnapshot.Instance, TimeSpan.FromSeconds(20));

    /// <summary>
    /// The next report named <paramref name="name"/>. Any other report fails the spec (with its fields), except
    /// those named in <paramref name="tolerated"/>, which are logged and skipped.
    /// </summary>
    protected async Task<MachineEvent> ExpectReport(string name, TimeSpan timeout, params string[] tolerated)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var left = timeout - deadline.Elapsed;
            if (left <= TimeSpan.Zero) left = TimeSpan.FromMilliseconds(1);
            MachineEvent report;
            try
            {
                report = await Reports.ExpectMsgAsync<MachineEvent>(left);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new TimeoutException($"no {name} report within {timeout.TotalSeconds:0} s.\n{ChildrenOutput()}", e);
            }
            if (report.Name == name) return report;
            if (tolerated.Contains(report.Name))
            {
                Note($"report (tolerated): {Describe(report)}");
                continue;
            }
            throw new InvalidOperationException($"expected a {name} report, got {Describe(report)}");
        }
    }

    /// <summary>Fails with the first report that has arrived, if any: for phases where no machine should report anything.</summary>
    protected void ThrowIfAnyReport(string phase)
    {
        if (!Reports.HasMessages) return;
        var report = Reports.ReceiveOne(TimeSpan.Zero);
        throw new InvalidOperationException(
            $"{phase}: unexpected report {(report is MachineEvent machineEvent ? Describe(machineEvent) : report)}");
    }

    /// <summary>A field of a report's payload.</summary>
    protected static object? Field(MachineEvent report, string key) =>
        report.Data is IDictionary<string, object?> fields && fields.TryGetValue(key, out var value)
            ? value
            : throw new InvalidOperationException($"report {Describe(report)} has no field '{key}'");

    /// <summary>A field of a report's payload, as a number.</summary>
    protected static long Number(MachineEvent report, string key) => Convert.ToInt64(Field(report, key), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A dictionary payload, which crosses processes without shared types.</summary>
    protected static Dictionary<string, object?> Fields(params (string Key, object? Value)[] fields) =>
        fields.ToDictionary(field => field.Key, field => field.Value, StringComparer.Ordinal);

    /// <summary>A context value of a machine snapshot, as a number (absent counts as 0).</summary>
    protected static long ContextNumber(MachineSnapshot snapshot, string key) =>
        snapshot.Context.TryGetValue(key, out var value) && value is not null
            ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)
            : 0;

    /// <summary>Writes to the test output; harmless after the test has finished.</summary>
    protected void Note(string line)
    {
        try
        {
            _output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test is over; a child's last words have nowhere to go.
        }
    }

    /// <summary>Every child's output, for failure messages.</summary>
    protected string ChildrenOutput()
    {
        lock (_children)
        {
            return string.Join("\n", _children.Select(child => $"--- {child.Plan.System} (pid {child.Pid}) ---\n{child.OutputText()}"));
        }
    }

    /// <summary>Kills every child by process id, then (after the test node's own shutdown) removes and checks leftovers.</summary>
    protected override void AfterAll()
    {
        ChildNode[] children;
        lock (_children) children = _children.ToArray();
        foreach (var child in children) child.Kill();
        foreach (var child in children) child.Dispose();
        base.AfterAll();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing); // AfterAll, then the test node's system shuts down and closes its own pipes
        if (!disposing) return;

        var leftovers = new List<string>();
        int[] pids;
        lock (_children) pids = _children.Select(child => child.Pid).ToArray();
        leftovers.AddRange(ProcessRegistry.StillRunning(pids).Select(pid => $"process {pid} still runs"));
        if (_transport is { } transport)
        {
            foreach (var file in transport.FilesOfRun(Run)) RunFiles.Delete(file);
            leftovers.AddRange(transport.FilesOfRun(Run).Select(file => $"{file} could not be removed"));
        }
        if (leftovers.Count > 0) throw new InvalidOperationException("The spec left things behind: " + string.Join("; ", leftovers));
    }

    private Config TestNodeConfig()
    {
        var lines = new List<string>
        {
            $"{Transport.Section}.hostname = \"{Transport.Hostname}\"",
            // From the run's own allocator like the children's: port 0 picks from a random start in a range where the
            // run's name ports (21001, 21002, ...) also lie, and once took a port planned for a child.
            $"{Transport.Section}.port = {Transport.AllocatePort(Run)}",
            "akka.loglevel = INFO",
        };
        lines.AddRange(Transport.RunSettings(Run).Select(setting => $"{setting.Key} = {setting.Value}"));
        return ConfigurationFactory.ParseString(string.Join('\n', lines))
            .WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(NodeHostLocation.HoconFile(Transport.HoconFile))))
            .WithFallback(XStateNetConfig.Default);
    }

    private List<string> Arguments(NodePlan plan)
    {
        var arguments = new List<string>
        {
            "--system", plan.System,
            "--hocon", NodeHostLocation.HoconFile(Transport.HoconFile),
            "--set", $"{Transport.Section}.hostname=\"{Transport.Hostname}\"",
            "--set", $"{Transport.Section}.port={plan.Port}",
            "--set", "akka.loglevel=INFO",
            "--set", $"xstatenet.machines.report=\"{SelfAddress}/user/report\"",
            "--parent-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var setting in Transport.RunSettings(Run)) arguments.AddRange(["--set", $"{setting.Key}={setting.Value}"]);
        foreach (var (key, value) in plan.Settings) arguments.AddRange(["--set", $"{key}={value}"]);
        foreach (var (id, path) in plan.Routes) arguments.AddRange(["--set", $"xstatenet.machines.{id}=\"{path}\""]);
        foreach (var (id, script) in plan.Machines) arguments.AddRange(["--machine", $"{id}={script}"]);
        return arguments;
    }

    private static string Describe(MachineEvent report) =>
        report.Data is IDictionary<string, object?> fields
            ? $"{report.Name} {{{string.Join(", ", fields.Select(field => $"{field.Key}={field.Value}"))}}}"
            : $"{report.Name} {report.Data}";
}
