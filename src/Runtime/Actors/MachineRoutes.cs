using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Remote;

namespace XStateNet.Actors;

/// <summary>
/// Maps machine ids to actor paths from the HOCON section <c>xstatenet.machines</c>:
/// <code>
/// xstatenet.machines {
///   storage   = "akka.shm://Pipeline@localhost:20003/user/storage"
///   processor = "akka.pipe://Pipeline@localhost:20002/user/processor"
/// }
/// </code>
/// An id with no route is looked for among this node's machines, the senders a machine has heard from, the host
/// directory (<c>xstatenet.directory</c>) and last at <c>/user/&lt;id&gt;</c> here. Moving a machine to another
/// process or host changes only this section, never the machines' code; <see cref="SetRoute"/> and
/// <see cref="RemoveRoute"/> change it while the node runs.
/// </summary>
/// <remarks>
/// Routes are checked when the node starts (<see cref="MachineSpawning.SpawnMachine(ActorSystem, MachineDefinition)"/>,
/// the Akka.Hosting helpers and <see cref="Validate"/> read them), so a bad route
/// stops the node with an error naming its key instead of failing every machine later. A route whose scheme this
/// node has no transport for is valid (another node may share the file) but every send to it raises
/// <c>error.communication</c> saying so.
/// </remarks>
public sealed class MachineRoutes : IExtension
{
    /// <summary>The HOCON path of the routes.</summary>
    public const string ConfigPath = "xstatenet.machines";

    private readonly object _changing = new();
    private readonly Address _localAddress;
    private readonly string _systemName;
    // Copied on change and swapped whole: readers (every machine resolving an id) never lock.
    private volatile Dictionary<string, ActorPath> _routes;
    // Few (one per sharded machine type), scanned per send: an array swapped whole, like the routes.
    private volatile PrefixRoute[] _prefixRoutes = [];
    private int _version;
    private readonly TransportSchemes _schemes;

    /// <summary>Reads the routes of an actor system; use <see cref="For"/> instead.</summary>
    /// <exception cref="ConfigurationException">A route is not a valid absolute actor path; the message names its key.</exception>
    public MachineRoutes(ExtendedActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        _localAddress = system.Provider.DefaultAddress;
        LocalRoot = new RootActorPath(_localAddress) / "user";
        ResolveTimeout = system.Settings.Config.GetTimeSpan("xstatenet.resolve-timeout", TimeSpan.FromSeconds(5), allowInfinite: false);
        RedeliverInterval = system.Settings.Config.GetTimeSpan("xstatenet.acknowledged-sends.redeliver-interval", TimeSpan.FromSeconds(2), allowInfinite: false);
        AcknowledgeGiveUp = system.Settings.Config.GetTimeSpan("xstatenet.acknowledged-sends.give-up-after", TimeSpan.FromSeconds(60), allowInfinite: false);
        if (RedeliverInterval <= TimeSpan.Zero || AcknowledgeGiveUp < RedeliverInterval)
            throw new ConfigurationException($"xstatenet.acknowledged-sends: redeliver-interval ({RedeliverInterval}) must be positive and give-up-after ({AcknowledgeGiveUp}) at least as long");
        _systemName = system.Name;
        _routes = RouteParser.Parse(system.Settings.Config, system.Name);
        LearnedSendersPerMachine = system.Settings.Config.GetInt("xstatenet.learned-senders-per-machine", 1024);
        if (LearnedSendersPerMachine <= 0)
            throw new ConfigurationException($"xstatenet.learned-senders-per-machine = {LearnedSendersPerMachine}: must be at least 1");
        _schemes = TransportSchemes.Of(system);
        foreach (var (id, path) in _routes)
        {
            if (_schemes.Unreachable(path.Address) is { } reason)
                system.Log.Warning("Route {0}.{1} = \"{2}\": {3}; sends to '{1}' will raise {4}", ConfigPath, id, path, reason, MachineEvents.ErrorCommunication);
        }
    }

    /// <summary>The routes of <paramref name="system"/>, read once.</summary>
    /// <exception cref="ConfigurationException">A route is not a valid absolute actor path; the message names its key.</exception>
    public static MachineRoutes For(ActorSystem system) => Configuration.ConfiguredExtension.Get<MachineRoutes, MachineRoutesProvider>(system);

    /// <summary>
    /// Checks the routes of <paramref name="config"/> without an actor system: every value of <c>xstatenet.machines</c>
    /// must be an absolute actor path that names an actor, with a host and port when it is remote.
    /// </summary>
    /// <exception cref="ConfigurationException">Some routes are invalid: the message names each key and what is wrong.</exception>
    public static void Validate(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        RouteParser.Parse(config, localSystemName: null);
    }

    /// <summary>How long a send waits for its target to be found before raising <c>error.communication</c> (<c>xstatenet.resolve-timeout</c>).</summary>
    public TimeSpan ResolveTimeout { get; }

    /// <summary>How often unacknowledged sends to an acknowledging prefix route go again (<c>xstatenet.acknowledged-sends.redeliver-interval</c>).</summary>
    internal TimeSpan RedeliverInterval { get; }

    /// <summary>How long a send to an acknowledging prefix route may stay unacknowledged before it becomes <c>error.communication</c>.</summary>
    internal TimeSpan AcknowledgeGiveUp { get; }

    /// <summary>How many senders each machine remembers for replies (<c>xstatenet.learned-senders-per-machine</c>).</summary>
    public int LearnedSendersPerMachine { get; }

    /// <summary>The machine ids that have a route (a snapshot).</summary>
    public IReadOnlyCollection<string> RoutedIds => _routes.Keys.ToArray();

    /// <summary>Bumped by every change, so machines know their resolved targets may point elsewhere now.</summary>
    internal int Version => Volatile.Read(ref _version);

    /// <summary>
    /// Routes <paramref name="machineId"/> to <paramref name="actorPath"/> from now on, in place of its HOCON route or
    /// what the host directory says: a host program re-points an id without restarting. Every machine's next send to
    /// the id resolves the new path (sends already handed to the old target are not called back).
    /// </summary>
    /// <exception cref="ArgumentException">The path is not a usable absolute actor path; the message says why.</exception>
    public void SetRoute(string machineId, string actorPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(machineId);
        ArgumentNullException.ThrowIfNull(actorPath);
        if (RouteParser.Check(machineId, actorPath, _systemName, out var path) is { } problem)
            throw new ArgumentException($"route for '{machineId}': {problem}", nameof(actorPath));
        Change(routes => routes[machineId] = path!);
    }

    /// <summary>
    /// Removes the route of <paramref name="machineId"/> (HOCON's or <see cref="SetRoute"/>'s): the id is then found
    /// like any unrouted one (this node, the senders it has heard from, the host directory). False when it had none.
    /// </summary>
    public bool RemoveRoute(string machineId)
    {
        ArgumentException.ThrowIfNullOrEmpty(machineId);
        var removed = false;
        Change(routes => removed = routes.Remove(machineId));
        return removed;
    }

    /// <summary>
    /// Sends every machine id starting with <paramref name="idPrefix"/> to <paramref name="target"/>, wrapped by
    /// <paramref name="address"/>(id, message): a shard region of machines (XStateNet.Actors.Sharding sets it) that
    /// finds or starts the machine of that id wherever it lives. No route per id: machines' sends, replies to such an id,
    /// and <see cref="OrchestratedContext.GetTargetProcessInfo"/> use it. An id with a route of its own
    /// (<c>xstatenet.machines</c>, <see cref="SetRoute"/>) keeps it.
    /// </summary>
    /// <exception cref="ArgumentException">Another prefix route overlaps this one (one prefix starts with the other); both are named.</exception>
    public void SetPrefixRoute(string idPrefix, IActorRef target, Func<string, object, object> address) =>
        SetPrefixRoute(idPrefix, target, address, acknowledged: false);

    /// <summary>
    /// As <see cref="SetPrefixRoute(string, IActorRef, Func{string, object, object})"/>; with <paramref name="acknowledged"/>,
    /// machines' sends and replies to these ids travel on acknowledged channels: the target's actor must apply each
    /// numbered event once and acknowledge it (XStateNet.Actors.Sharding's entities do), and the sending machine sends
    /// what is unacknowledged again (<c>xstatenet.acknowledged-sends</c>) until acknowledged, or raises
    /// <c>error.communication</c> after <c>give-up-after</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Another prefix route overlaps this one (one prefix starts with the other); both are named.</exception>
    public void SetPrefixRoute(string idPrefix, IActorRef target, Func<string, object, object> address, bool acknowledged)
    {
        ArgumentException.ThrowIfNullOrEmpty(idPrefix);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(address);
        lock (_changing)
        {
            var others = _prefixRoutes.Where(route => route.Prefix != idPrefix).ToList();
            if (others.FirstOrDefault(route => route.Prefix.StartsWith(idPrefix, StringComparison.Ordinal) || idPrefix.StartsWith(route.Prefix, StringComparison.Ordinal)) is { } overlap)
                throw new ArgumentException($"id prefix '{idPrefix}' overlaps the prefix route '{overlap.Prefix}' (to {overlap.Target.Path}): an id would match both", nameof(idPrefix));
            others.Add(new PrefixRoute(idPrefix, target, address, acknowledged));
            _prefixRoutes = others.ToArray();
            Interlocked.Increment(ref _version);
        }
    }

    /// <summary>Removes the prefix route of <paramref name="idPrefix"/>; false when there was none.</summary>
    public bool RemovePrefixRoute(string idPrefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(idPrefix);
        lock (_changing)
        {
            var kept = _prefixRoutes.Where(route => route.Prefix != idPrefix).ToArray();
            if (kept.Length == _prefixRoutes.Length) return false;
            _prefixRoutes = kept;
            Interlocked.Increment(ref _version);
            return true;
        }
    }

    /// <summary>The prefix route of <paramref name="machineId"/>, unless the id has a route of its own.</summary>
    internal bool TryGetPrefixRoute(string machineId, out PrefixRoute route)
    {
        var prefixes = _prefixRoutes;
        if (prefixes.Length > 0 && !_routes.ContainsKey(machineId))
        {
            foreach (var candidate in prefixes)
            {
                if (!machineId.StartsWith(candidate.Prefix, StringComparison.Ordinal)) continue;
                route = candidate;
                return true;
            }
        }
        route = null!;
        return false;
    }

    /// <summary>The route of <paramref name="machineId"/>, if it has one.</summary>
    internal bool TryGetRoute(string machineId, out ActorPath path) => _routes.TryGetValue(machineId, out path!);

    /// <summary>Whether no transport of this node speaks the scheme of <paramref name="address"/> (then why), or null.</summary>
    internal string? UnreachableReason(Address address) => _schemes.Unreachable(address);

    /// <summary>This node's own address, to tell a path of its own from another node's.</summary>
    internal Address LocalAddress => _localAddress;

    private ActorPath LocalRoot { get; }

    /// <summary>Where a machine id resolves to, and whether that is in this actor system.</summary>
    public TargetProcessInfo Resolve(string machineId)
    {
        var path = PathOf(machineId, out var routed);
        var isLocal = path.Address == _localAddress || !path.Address.HasGlobalScope;
        return new TargetProcessInfo(machineId, path.ToString(), path.Address.ToString(), isLocal, routed);
    }

    /// <summary>
    /// Why nothing this node sends can reach <paramref name="machineId"/> (its route's scheme has no transport
    /// here), or null when it may be reachable.
    /// </summary>
    public string? UnreachableReason(string machineId) => _schemes.Unreachable(PathOf(machineId, out _).Address);

    private void Change(Action<Dictionary<string, ActorPath>> change)
    {
        lock (_changing)
        {
            var copy = new Dictionary<string, ActorPath>(_routes, StringComparer.Ordinal);
            change(copy);
            _routes = copy;
            Interlocked.Increment(ref _version);
        }
    }

    private ActorPath PathOf(string machineId, out bool routed)
    {
        ArgumentException.ThrowIfNullOrEmpty(machineId);
        routed = _routes.TryGetValue(machineId, out var path);
        return path ?? LocalRoot / machineId;
    }

    /// <summary>The schemes this node's transports listen on, to tell a route no transport here can reach.</summary>
    private sealed class TransportSchemes
    {
        private readonly HashSet<string>? _protocols;
        private readonly string _enabled;

        private TransportSchemes(HashSet<string>? protocols, string enabled)
        {
            _protocols = protocols;
            _enabled = enabled;
        }

        public static TransportSchemes Of(ExtendedActorSystem system)
        {
            var enabled = string.Join(", ", system.Settings.Config.GetStringList("akka.remote.enabled-transports", []));
            return system.Provider is IRemoteActorRefProvider { Transport: { } transport }
                ? new TransportSchemes(transport.Addresses.Select(address => address.Protocol).ToHashSet(StringComparer.Ordinal), enabled)
                : new TransportSchemes(null, enabled);
        }

        public string? Unreachable(Address address)
        {
            if (!address.HasGlobalScope) return null;
            if (_protocols is null)
                return $"this node has no remoting (akka.actor.provider is local), so nothing reaches {address.Protocol} addresses";
            return _protocols.Contains(address.Protocol)
                ? null
                : $"{address.Protocol} is not a transport of this node (akka.remote.enabled-transports = [{_enabled}], " +
                  $"listening on {string.Join(", ", _protocols.Order(StringComparer.Ordinal))})";
        }
    }
}

/// <summary>Creates the <see cref="MachineRoutes"/> extension.</summary>
public sealed class MachineRoutesProvider : ExtensionIdProvider<MachineRoutes>
{
    /// <inheritdoc />
    public override MachineRoutes CreateExtension(ExtendedActorSystem system) => new(system);
}
