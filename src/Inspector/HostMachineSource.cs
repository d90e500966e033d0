using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Remote;
using XStateNet.Actors.Discovery;
using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Inspection;

/// <summary>
/// The machines of every other node on the host, found through the host directory (<c>xstatenet.directory</c>)
/// and asked over this node's transports: each one's chart once (<see cref="GetMachineChart"/>), its snapshot at
/// every refresh (<see cref="GetMachineSnapshot"/>). Read-only: it only asks. What <c>xstatenet inspect</c> serves;
/// inside an app, add it to <see cref="InspectorOptions.Sources"/> to list the host's machines beside the node's own.
/// </summary>
/// <remarks>
/// A remote machine's last events are the steps this source saw between refreshes: the snapshot carries how many
/// steps the machine took (<see cref="MachineSnapshot.Steps"/>) and what the last one handled; steps that fell
/// between two refreshes are counted in the entry's name. Nodes are reached by an address whose transport this
/// node runs (pipe, shm, or akka.tcp for cluster nodes); a node only on others is left out, and said so once in the
/// log. Besides the machines a node publishes in the directory, each node is asked which machines it runs (its
/// <c>/system/xstatenet-machines</c>), so the machines it does not publish, its sharded entities, are listed too.
/// </remarks>
public sealed class HostMachineSource : IMachineSource, IDisposable
{
    /// <summary>Charts are small; a larger answer is refused before it is parsed.</summary>
    private const int MaxChartChars = 4 * 1024 * 1024;

    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);

    private readonly ActorSystem _system;
    private readonly ILoggingAdapter _log;
    private readonly TimeSpan _refresh;
    private readonly int _eventsPerMachine;
    private readonly HashSet<string> _protocols;
    private readonly Func<IReadOnlyList<string>, string?>? _choose;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstRefresh = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, Seen> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Statechart?> _charts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private readonly Task _polling;
    private IReadOnlyList<InspectedMachine> _machines = [];
    private int _stepped;

    /// <summary>Starts refreshing every <paramref name="refresh"/> (default 500 ms) until disposed or the actor system terminates.</summary>
    /// <param name="system">A node with the pipe or shm transport and the host directory on (it is by default with them).</param>
    /// <param name="refresh">How often each machine is asked for its snapshot: 50 ms to 1 minute.</param>
    /// <param name="eventsPerMachine">How many of each machine's last steps are kept: 1 to 10,000.</param>
    /// <exception cref="ConfigurationException">The host directory is off on <paramref name="system"/> or its folder is unusable.</exception>
    public HostMachineSource(ActorSystem system, TimeSpan? refresh = null, int eventsPerMachine = 20)
        : this(system, refresh, eventsPerMachine, choose: null)
    {
    }

    /// <summary>As the public constructor, with a choice of which nodes this source asks and through which address.</summary>
    /// <param name="system">As above.</param>
    /// <param name="refresh">As above.</param>
    /// <param name="eventsPerMachine">As above.</param>
    /// <param name="choose">
    /// Of a live node's addresses, the one to ask it through, or null to leave the node to another source (not
    /// reported): several sources on nodes of different transport prefixes share a host's nodes without listing one
    /// twice. Null: the first address of a transport this node runs.
    /// </param>
    internal HostMachineSource(ActorSystem system, TimeSpan? refresh, int eventsPerMachine, Func<IReadOnlyList<string>, string?>? choose)
    {
        ArgumentNullException.ThrowIfNull(system);
        _refresh = refresh ?? TimeSpan.FromMilliseconds(500);
        if (_refresh < TimeSpan.FromMilliseconds(50) || _refresh > TimeSpan.FromMinutes(1))
            throw new ArgumentOutOfRangeException(nameof(refresh), _refresh, "HostMachineSource refresh must be between 50 ms and 1 minute");
        if (eventsPerMachine is < 1 or > 10_000)
            throw new ArgumentOutOfRangeException(nameof(eventsPerMachine), eventsPerMachine, "HostMachineSource eventsPerMachine must be between 1 and 10,000");
        _system = system;
        _eventsPerMachine = eventsPerMachine;
        _choose = choose;
        _log = Logging.GetLogger(system, typeof(HostMachineSource));
        _protocols = ProtocolsOf(system);
        HostDirectory.For(system).LiveNodes(); // fails now, naming the setting, when the directory cannot be read
        _polling = Task.Run(PollAsync);
        system.RegisterOnTermination(Dispose);
    }

    /// <inheritdoc />
    public event Action? Changed;

    /// <summary>The machines as of the last refresh (the first call waits for the first one).</summary>
    public async Task<IReadOnlyList<InspectedMachine>> GetMachinesAsync(CancellationToken cancellationToken)
    {
        await _firstRefresh.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return Volatile.Read(ref _machines);
    }

    private async Task PollAsync()
    {
        using var timer = new PeriodicTimer(_refresh);
        do
        {
            try
            {
                if (await RefreshAsync(_stop.Token).ConfigureAwait(false)) Changed?.Invoke();
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is ConfigurationException or IOException)
            {
                Report("refresh:" + e.Message, $"Inspector: cannot read the host directory: {e.Message}");
            }
            catch (Exception e) when (!_stop.IsCancellationRequested)
            {
                // Never a silent stop: the page would freeze with no word why. Logged once per message; the next refresh tries again.
                Report("failed:" + e.Message, $"Inspector: a refresh of the host's machines failed: {e}");
            }
            finally
            {
                _firstRefresh.TrySetResult();
            }
        }
        while (await Tick(timer).ConfigureAwait(false));
    }

    private async Task<bool> Tick(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>One refresh: every live node's machines asked at once. True when anything changed.</summary>
    private async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        var targets = new List<(string Node, string Address, MachineRecord Machine)>();
        var reached = new List<(string Node, string Address, IReadOnlyList<MachineRecord> Published)>();
        foreach (var node in HostDirectory.For(_system).LiveNodes())
        {
            if (_choose is not null)
            {
                if (_choose(node.Addresses) is { } chosen) reached.Add(($"{chosen} (pid {node.Pid})", chosen, node.Machines));
                continue;
            }
            var address = node.Addresses.FirstOrDefault(a => ActorPath.TryParseAddress(a, out var parsed) && _protocols.Contains(parsed.Protocol));
            if (address is null)
            {
                Report("unreachable:" + node.Describe(), $"Inspector: {node.Describe()} runs none of this node's transports ({string.Join(", ", _protocols)}); its machines are not listed");
                continue;
            }
            reached.Add(($"{address} (pid {node.Pid})", address, node.Machines));
        }
        // Each node's published machines, and those it hosts without publishing them (sharded entities), asked of the node.
        var unpublished = await Task.WhenAll(reached.Select(n => UnpublishedAsync(n.Address, n.Published, cancellationToken))).ConfigureAwait(false);
        for (var i = 0; i < reached.Count; i++)
        {
            var (name, address, published) = reached[i];
            targets.AddRange(published.Concat(unpublished[i]).Select(m => (name, address, m)));
        }
        var machines = (await Task.WhenAll(targets.Select(t => InspectAsync(t.Node, t.Address, t.Machine, cancellationToken))).ConfigureAwait(false))
            .OfType<InspectedMachine>()
            .ToArray();

        var keys = machines.Select(m => Key(m.Node, m.Id)).ToHashSet(StringComparer.Ordinal);
        var changed = Interlocked.Exchange(ref _stepped, 0) != 0 || !keys.SetEquals(_machines.Select(m => Key(m.Node, m.Id)));
        lock (_seen)
        {
            foreach (var gone in _seen.Keys.Where(k => !keys.Contains(k)).ToArray()) _seen.Remove(gone);
        }
        var claims = targets.Select(t => ChartKey(t.Address, t.Machine)).ToHashSet(StringComparer.Ordinal);
        lock (_charts)
        {
            foreach (var old in _charts.Keys.Where(k => !claims.Contains(k)).ToArray()) _charts.Remove(old);
        }
        Volatile.Write(ref _machines, machines);
        return changed;
    }

    /// <summary>The protocols of <paramref name="system"/>'s transports (<c>akka.pipe</c>, <c>akka.shm</c>, <c>akka.tcp</c>); none without remoting.</summary>
    internal static HashSet<string> ProtocolsOf(ActorSystem system) =>
        ((ExtendedActorSystem)system).Provider is IRemoteActorRefProvider { Transport: { } transport }
            ? transport.Addresses.Select(a => a.Protocol).ToHashSet(StringComparer.Ordinal)
            : [];

    /// <summary>An ask that got no usable answer: the machine or node stopped, is busy, or is not reachable yet (asked again at the next refresh).</summary>
    private static bool Unanswered(Exception e, CancellationToken cancellationToken) =>
        e is AskTimeoutException or ActorNotFoundException or InvalidOperationException
            or TaskCanceledException && !cancellationToken.IsCancellationRequested;

    private static string ChartKey(string address, MachineRecord machine) => $"{address}|{machine.Id}|{machine.Since}";

    /// <summary>The node's own path, through which machines it does not publish are listed and asked.</summary>
    private const string NodeActorPath = "/system/" + NodeMachinesActor.Name;

    /// <summary>
    /// The machines the node at <paramref name="address"/> runs but does not publish in the directory (sharded
    /// entities), as its <see cref="NodeMachinesActor"/> lists them; none when it does not answer (no machine there yet,
    /// or an older node).
    /// </summary>
    private async Task<IReadOnlyList<MachineRecord>> UnpublishedAsync(string address, IReadOnlyList<MachineRecord> published,
        CancellationToken cancellationToken)
    {
        if (!ActorPath.TryParse(address + NodeActorPath, out var path)) return [];
        NodeMachineList list;
        try
        {
            list = await _system.ActorSelection(path).Ask<NodeMachineList>(ListNodeMachines.Instance, AskTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Unanswered(e, cancellationToken))
        {
            return [];
        }
        // Since = 0 marks a machine asked through its node (Since is a claim time for published ones).
        return (list.Ids ?? [])
            .Take(NodeMachinesActor.MaxIds)
            .Where(id => !string.IsNullOrEmpty(id) && published.All(m => m.Id != id))
            .Select(id => new MachineRecord(id, NodeActorPath, 0))
            .ToArray();
    }

    private async Task<InspectedMachine?> InspectAsync(string node, string address, MachineRecord machine, CancellationToken cancellationToken)
    {
        if (!ActorPath.TryParse(address + machine.Path, out var path)) return null;
        var actor = _system.ActorSelection(path);
        var viaNode = machine.Path == NodeActorPath;
        var chart = await ChartAsync(actor, ChartKey(address, machine), machine.Id,
            viaNode ? new GetNodeMachineChart(machine.Id) : GetMachineChart.Instance, cancellationToken).ConfigureAwait(false);
        if (chart is null) return null;
        MachineSnapshot snapshot;
        try
        {
            snapshot = await actor.Ask<MachineSnapshot>(viaNode ? new GetNodeMachineSnapshot(machine.Id) : GetMachineSnapshot.Instance, AskTimeout,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Unanswered(e, cancellationToken))
        {
            return null; // stopped, busy or not yet reachable: the next refresh shows it again
        }
        // Only states the chart has are drawn: an answer from a node that changed its chart since is not trusted blindly.
        var active = snapshot.ActiveStates.Where(s => chart.FindByPath(s) is not null).ToArray();
        var history = Record(Key(node, machine.Id), machine.Id, snapshot, active);
        return new InspectedMachine(node, machine.Id, chart, active, snapshot.IsDone, snapshot.Context, history);
    }

    /// <summary>The machine's steps seen so far, with the one this snapshot shows added if it is new.</summary>
    private MachineStepped[] Record(string key, string machineId, MachineSnapshot snapshot, string[] active)
    {
        lock (_seen)
        {
            var now = DateTimeOffset.UtcNow;
            if (!_seen.TryGetValue(key, out var seen)) _seen[key] = seen = new Seen();
            if (snapshot.Steps != seen.Steps && snapshot.LastEvent is { } last)
            {
                var missed = snapshot.Steps - seen.Steps - 1;
                var name = seen.Steps >= 0 && missed > 0 ? $"{last} (+{missed} earlier step{(missed == 1 ? "" : "s")} between refreshes)" : last;
                seen.Events.Enqueue(new MachineStepped(machineId, name, active, snapshot.IsDone, now));
                while (seen.Events.Count > _eventsPerMachine) seen.Events.Dequeue();
                seen.Steps = snapshot.Steps;
                Interlocked.Exchange(ref _stepped, 1);
            }
            return seen.Events.ToArray();
        }
    }

    private async Task<Statechart?> ChartAsync(ActorSelection actor, string key, string machineId, object question, CancellationToken cancellationToken)
    {
        lock (_charts)
        {
            if (_charts.TryGetValue(key, out var known)) return known;
        }
        MachineChart answer;
        try
        {
            answer = await actor.Ask<MachineChart>(question, AskTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Unanswered(e, cancellationToken))
        {
            return null; // asked again at the next refresh
        }
        Statechart? chart = null;
        if (answer.Json.Length > MaxChartChars)
            Report(key, $"Inspector: machine '{machineId}' answered a chart of {answer.Json.Length:N0} characters, more than {MaxChartChars:N0}; not shown");
        else
        {
            try
            {
                chart = Statechart.Parse(answer.Json);
            }
            catch (StatechartDefinitionException e)
            {
                Report(key, $"Inspector: machine '{machineId}' answered a chart that does not parse ({e.Errors.Count} problems, first: {e.Errors[0].Message}); not shown");
            }
        }
        lock (_charts) _charts[key] = chart; // a refused chart is not asked for again until the machine is claimed anew
        return chart;
    }

    private static string Key(string node, string machineId) => node + "\n" + machineId;

    private void Report(string key, string message)
    {
        lock (_reported)
        {
            if (_reported.Count >= 1024 || !_reported.Add(key)) return;
        }
        _log.Warning("{0}", message);
    }

    /// <summary>Stops refreshing.</summary>
    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _firstRefresh.TrySetResult();
    }

    private sealed class Seen
    {
        public long Steps { get; set; } = -1;
        public Queue<MachineStepped> Events { get; } = new();
    }
}
