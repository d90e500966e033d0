using Akka.Actor;
using Akka.Configuration;

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
public sealed class MachineRoutes : IExtension
{
    /// <summary>The HOCON path of the routes.</summary>
    public const string ConfigPath = "xstatenet.machines";

    private readonly Dictionary<string, ActorPath> _routes = new(StringComparer.Ordinal);
    private readonly Address _localAddress;

    /// <summary>Reads the routes of an actor system; use <see cref="For"/> instead.</summary>
    /// <exception cref="ConfigurationException">A route is not a valid absolute actor path.</exception>
    public MachineRoutes(ExtendedActorSystem system)
    {
        _localAddress = system.Provider.DefaultAddress;
        LocalRoot = new RootActorPath(_localAddress) / "user";
        var section = system.Settings.Config.GetConfig(ConfigPath);
        ResolveTimeout = system.Settings.Config.GetTimeSpan("xstatenet.resolve-timeout", TimeSpan.FromSeconds(5), allowInfinite: false);
        if (section is null || section.IsEmpty) return;

        var problems = new List<string>();
        foreach (var (id, value) in section.AsEnumerable())
        {
            var text = value.GetString();
            if (ActorPath.TryParse(text, out var path)) _routes[id.Trim('"')] = path;
            else problems.Add($"{ConfigPath}.{id} = \"{text}\" is not an absolute actor path like \"akka.tcp://System@host:port/user/{id}\"");
        }
        if (problems.Count > 0) throw new ConfigurationException("Invalid machine routes: " + string.Join("; ", problems));
    }

    /// <summary>The routes of <paramref name="system"/>, read once.</summary>
    public static MachineRoutes For(ActorSystem system) => system.WithExtension<MachineRoutes, MachineRoutesProvider>();

    /// <summary>How long a send waits for its target to be found before raising <c>error.communication</c> (<c>xstatenet.resolve-timeout</c>).</summary>
    public TimeSpan ResolveTimeout { get; }

    /// <summary>The machine ids that have a route.</summary>
    public IReadOnlyCollection<string> RoutedIds => _routes.Keys;

    private ActorPath LocalRoot { get; }

    /// <summary>Where a machine id resolves to, and whether that is in this actor system.</summary>
    public TargetProcessInfo Resolve(string machineId)
    {
        ArgumentException.ThrowIfNullOrEmpty(machineId);
        var routed = _routes.TryGetValue(machineId, out var path);
        path ??= LocalRoot / machineId;
        var isLocal = path.Address == _localAddress || !path.Address.HasGlobalScope;
        return new TargetProcessInfo(machineId, path.ToString(), path.Address.ToString(), isLocal, routed);
    }
}

/// <summary>Creates the <see cref="MachineRoutes"/> extension.</summary>
public sealed class MachineRoutesProvider : ExtensionIdProvider<MachineRoutes>
{
    /// <inheritdoc />
    public override MachineRoutes CreateExtension(ExtendedActorSystem system) => new(system);
}
