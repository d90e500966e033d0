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
    private readonly Dictionary<string, List<string>> _specHocon = new(StringComparer.Ordinal);

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
    /// <exception cref="ArgumentException">No role, or several roles, host it.</exception>
    public string RoleHosting(string machineId)
    {
        var hosts = _config.Roles.Where(role => role.MachineIds.Contains(machineId)).Select(role => role.Name).ToList();
        return hosts.Count switch
        {
            1 => hosts[0],
            0 => throw new ArgumentException($"no role hosts a machine '{machineId}'", nameof(machineId)),
            _ => throw new ArgumentException($"roles {string.Join(", ", hosts)} all host a machine '{machineId}': name the role", nameof(machineId)),
        };
    }

    /// <summary>Moves <paramref name="role"/> to a new port: nodes started from now on listen there.</summary>
    public Address Relocate(string role)
    {
        var old = AddressOf(role);
        return _addresses[role] = new Address(old.Protocol, old.System, old.Host, Transport.AllocatePort(Run));
    }

    /// <summary>HOCON for <paramref name="role"/>'s nodes started from now on in this spec; it wins over the role's own.</summary>
    public void AddSpecHocon(string role, string hocon)
    {
        AddressOf(role); // the role must exist
        (_specHocon.TryGetValue(role, out var lines) ? lines : _specHocon[role] = []).Add(hocon);
    }

    /// <summary>The HOCON of the test node: the transport at its port, the run's names, the routes to every machine.</summary>
    public string TestNodeHocon() => Compose(TestPort, self: null, probePath: null);

    /// <summary>The HOCON of <paramref name="role"/>'s node (its child parses it over the transport's ready file and the runtime's defaults).</summary>
    public string RoleHocon(RoleDefinition role, string probePath) => Compose(AddressOf(role.Name).Port!.Value, role, probePath);

    /// <summary>
    /// One HOCON text, later lines winning: the TestKit's defaults, the config's common HOCON, the role's own, then what
    /// the TestKit must own (address, names, adapters, routes), which the user's HOCON cannot move.
    /// </summary>
    private string Compose(int port, RoleDefinition? self, string? probePath)
    {
        var section = Transport.Section;
        var lines = new List<string> { "akka.loglevel = INFO", "akka.stdout-loglevel = INFO" };
        lines.AddRange(_config.CommonHocon);
        if (self is not null)
        {
            lines.AddRange(self.Hocon);
            if (_specHocon.TryGetValue(self.Name, out var specHocon)) lines.AddRange(specHocon);
        }
        lines.Add($"{section}.hostname = \"{Transport.Hostname}\"");
        lines.Add($"{section}.port = {port.ToString(CultureInfo.InvariantCulture)}");
        lines.AddRange(Transport.RunSettings(Run));
        if (_config.NetworkFaults) lines.Add($"{section}.applied-adapters = [trttl]");
        if (!_config.HostDirectory && self?.RoutesToOtherRoles != false)
        {
            foreach (var role in _config.Roles.Where(role => role != self))
            {
                foreach (var id in role.MachineIds) lines.Add(RouteLine(id, role.Name, id));
            }
        }
        foreach (var route in self?.Routes ?? []) lines.Add(RouteLine(route.Id, route.Role, route.MachineId));
        if (probePath is not null) lines.Add($"xstatenet.machines.\"{_config.ProbeId}\" = \"{probePath}\"");
        return string.Join('\n', lines);
    }

    private string RouteLine(string id, string role, string machineId) => $"xstatenet.machines.\"{id}\" = \"{AddressOf(role)}/user/{machineId}\"";
}
