namespace XStateNet.Actors;

/// <summary>
/// Ask a machine actor for the chart it runs, as <see cref="MachineChart"/>: how a tool in another process (the
/// <c>xstatenet inspect</c> page) draws a machine it did not start. Read-only, like <see cref="GetMachineSnapshot"/>.
/// </summary>
public sealed class GetMachineChart
{
    /// <summary>The only instance.</summary>
    public static GetMachineChart Instance { get; } = new();

    private GetMachineChart() { }
}
