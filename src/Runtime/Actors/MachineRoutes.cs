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
/// An id with no route is looked for locally at <c>/user/&lt;id&gt;</c>. Moving a machine to another process or
/// host changes only this section, never the machines' code.
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

    private readonly Dictionary<string, ActorPath> _routes;
    private readonly Address _localAddress;
    private readonly TransportSchemes _schemes;

    /// <summary>Reads the routes of an actor system; use <see cref="For"/> instead.</summary>
    /// <exception cref="ConfigurationException">A route is not a valid absolute actor path; the message names its key.</exception>
    public MachineRoutes(ExtendedActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        _localAddress = system.Provider.DefaultAddress;
        LocalRoot = new RootActorPath(_localAddress) / "user";
        ResolveTimeout = system.Settings.Config.GetTimeSpan("xstatenet.resolve-timeout", TimeSpan.FromSeconds(5), allowInfinite: false);
        _routes = RouteParser.Parse(system.Settings.Config, system.Name);
        _schemes = TransportSchemes.Of(system);
        foreach (var (id, path) in _routes)
        {
            if (_schemes.Unreachable(path.Address) is { } reason)
                system.Log.Warning("Route {0}.{1} = \"{2}\": {3}; sends to '{1}' will raise {4}", ConfigPath, id, path, reason, MachineEvents.ErrorCommunication);
        }
    }

    /// <summary>The routes of <paramref name="system"/>, read once.</summary>
    /// <exception cref="ConfigurationException">A route is not a valid absolute actor path; the message names its key.</exception>
    public static MachineRoutes For(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        try
        {
            return system.WithExtension<MachineRoutes, MachineRoutesProvider>();
        }
        catch (Exception e) when (e is not ConfigurationException && e.InnerException is ConfigurationException invalid)
        {
            // Akka creates extensions by reflection: give the caller the routes' own error, not the wrapper.
            throw new ConfigurationException(invalid.Message, e);
        }
    }

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

    /// <summary>The machine ids that have a route.</summary>
    public IReadOnlyCollection<string> RoutedIds => _routes.Keys;

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
