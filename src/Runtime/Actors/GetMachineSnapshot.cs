namespace XStateNet.Actors;

/// <summary>Ask a machine actor for its <see cref="MachineSnapshot"/>: <c>machine.Ask&lt;MachineSnapshot&gt;(GetMachineSnapshot.Instance)</c>.</summary>
public sealed class GetMachineSnapshot
{
    /// <summary>The only instance.</summary>
    public static GetMachineSnapshot Instance { get; } = new();

    private GetMachineSnapshot() { }
}
