namespace XStateNet.Actors;

/// <summary>
/// A machine event sent on an acknowledged channel (sends to ids of a prefix route that acknowledges, such as a
/// shard region of sharded machines): <see cref="Sequence"/> numbers the channel's events from 1 with no gap. The
/// receiver applies the next number only (an earlier one again is acknowledged, not applied; a later one waits for
/// the sender to send the missing ones again) and answers <see cref="EventAcknowledged"/> once the event's effect is
/// stored. The sender sends every unacknowledged event again until acknowledged, so a message that a shard hand-off
/// or a dying node dropped is redelivered, and none is applied twice.
/// </summary>
/// <param name="Channel">The sender's channel to this receiver: the sending machine's id, its incarnation and an epoch.</param>
/// <param name="Sequence">This event's number on the channel, from 1.</param>
/// <param name="Event">The event.</param>
/// <remarks>Crosses processes with <see cref="Serialization.AcknowledgedEventSerializer"/> (the event inside with its own serializer).</remarks>
internal sealed record AcknowledgedEvent(string Channel, long Sequence, MachineEvent Event);

/// <summary>The receiver of <paramref name="Channel"/> has stored the effect of every event up to <paramref name="UpTo"/>.</summary>
/// <param name="TargetMachineId">The receiving machine's id (the sender's key for the channel).</param>
/// <param name="Channel">The channel.</param>
/// <param name="UpTo">The highest sequence number applied and stored.</param>
internal sealed record EventAcknowledged(string TargetMachineId, string Channel, long UpTo);

/// <summary>Told to a machine by its own timer: send again what is not acknowledged yet, give up on what is too old.</summary>
internal sealed class RedeliveryDue
{
    public static readonly RedeliveryDue Instance = new();

    private RedeliveryDue() { }
}
