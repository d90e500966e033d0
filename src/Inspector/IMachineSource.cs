namespace XStateNet.Actors.Inspection;

/// <summary>
/// Where the inspector finds machines: this node's own (always there), and any other a host adds through
/// <see cref="InspectorOptions.Sources"/>, such as the machines of every node on the host.
/// </summary>
public interface IMachineSource
{
    /// <summary>The machines and their state now. A machine that cannot answer in time is left out.</summary>
    Task<IReadOnlyList<InspectedMachine>> GetMachinesAsync(CancellationToken cancellationToken);

    /// <summary>Raised when a machine of this source may have changed (stepped, started, stopped), so the page refreshes.</summary>
    event Action? Changed;
}
