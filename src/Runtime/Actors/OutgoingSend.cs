namespace XStateNet.Actors;

/// <summary>A send an action requested; it goes out when the step that requested it completes.</summary>
/// <param name="TargetMachineId">The machine id it goes to; null with no <paramref name="Reply"/>: the machine itself.</param>
/// <param name="Event">The event.</param>
/// <param name="Delay">How long to wait before sending.</param>
/// <param name="Reply">Set for a reply: it goes to the sender of the event that was handled, not by id.</param>
internal readonly record struct OutgoingSend(string? TargetMachineId, MachineEvent Event, TimeSpan Delay, ReplyAddress? Reply = null)
{
    /// <summary>Null target and not a reply: the machine itself.</summary>
    public bool IsSelf => TargetMachineId is null && Reply is null;
}
