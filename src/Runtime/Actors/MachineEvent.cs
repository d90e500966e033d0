namespace XStateNet.Actors;

/// <summary>
/// An event for a machine actor: <c>machine.Tell(new MachineEvent("START", data))</c>. Machines send these to one
/// another through <see cref="OrchestratedContext.RequestSend"/>; the payload crosses processes with the
/// runtime's Hyperion serializer, so its type must be loadable on both sides.
/// </summary>
/// <param name="Name">The event name the statechart reacts to.</param>
/// <param name="Data">The payload, or null.</param>
public sealed record MachineEvent(string Name, object? Data = null)
{
    /// <summary>The id of the machine that sent it, or null when it came from outside any machine.</summary>
    public string? SourceMachineId { get; init; }
}
