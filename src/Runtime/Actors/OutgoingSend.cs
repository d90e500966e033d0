namespace XStateNet.Actors;

/// <summary>A send an action requested; it goes out when the step that requested it completes.</summary>
internal readonly record struct OutgoingSend(string? TargetMachineId, MachineEvent Event, TimeSpan Delay)
{
    /// <summary>Null target: the machine itself.</summary>
    public bool IsSelf => TargetMachineId is null;
}
