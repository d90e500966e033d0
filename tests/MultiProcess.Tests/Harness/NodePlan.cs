using Akka.Actor;

namespace XStateNet.Actors.MultiProcess.Tests.Harness;

/// <summary>
/// A child node before it starts: its system name and port (so its address is known in advance, and other nodes'
/// routes can point at it), the machines it hosts and its routes. Starting the same plan again restarts the node
/// under the same address.
/// </summary>
public sealed class NodePlan
{
    private readonly Dictionary<string, string> _machines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _routes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _settings = new(StringComparer.Ordinal);

    internal NodePlan(string system, TransportUnderTest transport, int port)
    {
        System = system;
        Port = port;
        Address = new Address(transport.Protocol, system, transport.Hostname, port);
    }

    /// <summary>The actor system's name.</summary>
    public string System { get; }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>The address it will have.</summary>
    public Address Address { get; }

    /// <summary>Machine id → script (a built-in script name such as <c>ponger</c>, or a path).</summary>
    public IReadOnlyDictionary<string, string> Machines => _machines;

    /// <summary>Machine id → absolute actor path, written to <c>xstatenet.machines</c>.</summary>
    public IReadOnlyDictionary<string, string> Routes => _routes;

    /// <summary>Further settings of this node: HOCON path → HOCON value.</summary>
    public IReadOnlyDictionary<string, string> Settings => _settings;

    /// <summary>The absolute path of the machine <paramref name="machineId"/> on this node.</summary>
    public string PathOf(string machineId) => $"{Address}/user/{machineId}";

    /// <summary>Hosts the machine <paramref name="machineId"/> defined by <paramref name="script"/>.</summary>
    public NodePlan Hosting(string machineId, string script)
    {
        _machines.Add(machineId, script);
        return this;
    }

    /// <summary>Routes the id <paramref name="routedId"/> to the machine <paramref name="machineId"/> of <paramref name="node"/>.</summary>
    public NodePlan Routing(string routedId, NodePlan node, string? machineId = null)
    {
        _routes[routedId] = node.PathOf(machineId ?? routedId);
        return this;
    }

    /// <summary>Routes the id <paramref name="routedId"/> to an absolute actor path.</summary>
    public NodePlan Routing(string routedId, string path)
    {
        _routes[routedId] = path;
        return this;
    }

    /// <summary>Sets a HOCON value (written as HOCON: quote strings) for this node only.</summary>
    public NodePlan With(string path, string value)
    {
        _settings[path] = value;
        return this;
    }

    /// <inheritdoc />
    public override string ToString() => Address.ToString();
}
