using System.Globalization;
using Akka.Actor;
using XStateNet.Actors.TestKit.Transports;

namespace XStateNet.Actors.TestKit;

/// <summary>
/// The addresses of one spec run, fixed before any node starts (so every node's routes can point at every other,
/// and a restarted node comes back at its address), and the HOCON each node gets.
/// </summary>
internal sealed class NodePlan
{
    /// <summary>The test node's actor that relays to the spec's probe.</summary>
    public const string ProbeActorName = "testkit-probe";

    private readonly MultiNodeConfig _config;
    private readonly Dictionary<string, Address> _addresses = new(StringComparer.Ordinal);

    public NodePlan(MultiNodeConfig config, NodeTransport transport, RunNames run)
    {
        _config = config;
        Transport = transport;
        Run = run;
        // From the run's own allocator like the children's: port 0 could pick a port planned for a child.
        TestPort = transport.AllocatePort(run);
        foreach (var role in config.Roles)
        {
            _addresses[role.Name] = new Address(transport.Protocol(config.NetworkFaults), config.SystemNameOf(role), transport.Hostname, transport.AllocatePort(run));
        }
    }

    public NodeTransport Transport { get; }

    public RunNames Run { get; }

    public int TestPort { get; }

    /// <summary>The planned address of <paramref name="role"/>.</summary>
    public Address AddressOf(string role) =>
        _addresses.TryGetValue(role, out var address) ? address : throw new ArgumentException($"no role '{role}' (roles: {string.Join(", ", _addresses.Keys)})", nameof(role));

    /// <summary>The role that hosts <paramref name="machineId"/>.</summary>
    public string RoleHosting(string machineId) =>
        _config.Roles.FirstOrDefault(role => role.MachineIds.Contains(machineId))?.Name
        ?? throw new ArgumentException($"no role hosts a machine '{machineId}'", nameof(machineId));

    /// <summary>The HOCON of the test node: the transport at its port, the run's names, the routes to every machine.</summary>
    public string TestNodeHocon() => Compose(TestPort, routesExcept: null, roleHocon: [], probePath: null);

    /// <summary>The HOCON of <paramref name="role"/>'s node (its child parses it over the transport's ready file and the runtime's defaults).</summary>
    public string RoleHocon(RoleDefinition role, string probePath) => Compose(AddressOf(role.Name).Port!.Value, role.Name, role.Hocon, probePath);

    /// <summary>
    /// One HOCON text, later lines winning: the TestKit's defaults, the config's common HOCON, the role's own, then what
    /// the TestKit must own (address, names, adapters, routes), which the user's HOCON cannot move.
    /// </summary>
    private string Compose(int port, string? routesExcept, IReadOnlyList<string> roleHocon, string? probePath)
    {
        var section = Transport.Section;
        var lines = new List<string> { "akka.loglevel = INFO", "akka.stdout-loglevel = INFO" };
        lines.AddRange(_config.CommonHocon);
        lines.AddRange(roleHocon);
        lines.Add($"{section}.hostname = \"{Transport.Hostname}\"");
        lines.Add($"{section}.port = {port.ToString(CultureInfo.InvariantCulture)}");
        lines.AddRange(Transport.RunSettings(Run));
        if (_config.NetworkFaults) lines.Add($"{section}.applied-adapters = [trttl]");
        foreach (var role in _config.Roles.Where(role => role.Name != routesExcept))
        {
            foreach (var id in role.MachineIds) lines.Add($"xstatenet.machines.\"{id}\" = \"{AddressOf(role.Name)}/user/{id}\"");
        }
        if (probePath is not null) lines.Add($"xstatenet.machines.\"{_config.ProbeId}\" = \"{probePath}\"");
        return string.Join('\n', lines);
    }
}
