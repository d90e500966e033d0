namespace XStateNet.Actors.Inspection;

/// <summary>How the inspector serves its page.</summary>
public sealed class InspectorOptions
{
    /// <summary>The loopback port to listen on; 0 (the default) lets the system pick a free one.</summary>
    public int Port { get; init; }

    /// <summary>How many of each machine's last handled events the page shows.</summary>
    public int EventsPerMachine { get; init; } = 20;

    /// <summary>
    /// Machines of other nodes to list beside this node's own (for example every node of the host, read from a host
    /// directory). This node's machines are always listed.
    /// </summary>
    public IReadOnlyList<IMachineSource> Sources { get; init; } = [];

    /// <summary>
    /// Also list every other node of the host, found through the host directory (a <see cref="HostMachineSource"/>
    /// the inspector starts and stops with itself; the node needs the pipe or shm transport). Off by default.
    /// </summary>
    public bool HostNodes { get; init; }

    /// <summary>How often the machines of other nodes are asked for their state (<see cref="HostNodes"/>): 50 ms to 1 minute.</summary>
    public TimeSpan HostRefresh { get; init; } = TimeSpan.FromMilliseconds(500);

    internal void Validate()
    {
        if (Port is < 0 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "InspectorOptions.Port must be 0 (any free port) or a port number up to 65535");
        if (EventsPerMachine is < 1 or > 10_000)
            throw new ArgumentOutOfRangeException(nameof(EventsPerMachine), EventsPerMachine, "InspectorOptions.EventsPerMachine must be between 1 and 10,000");
        if (HostRefresh < TimeSpan.FromMilliseconds(50) || HostRefresh > TimeSpan.FromMinutes(1))
            throw new ArgumentOutOfRangeException(nameof(HostRefresh), HostRefresh, "InspectorOptions.HostRefresh must be between 50 ms and 1 minute");
        if (Sources.Any(s => s is null)) throw new ArgumentException("InspectorOptions.Sources must not contain null", nameof(Sources));
    }
}
