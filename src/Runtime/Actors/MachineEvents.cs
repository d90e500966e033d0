namespace XStateNet.Actors;

/// <summary>Events the runtime raises in a machine by itself.</summary>
public static class MachineEvents
{
    /// <summary>
    /// A send could not be delivered: the target id resolves to no actor (SCXML's name). The data is a
    /// <see cref="CommunicationError"/>.
    /// </summary>
    public const string ErrorCommunication = "error.communication";

    /// <summary>
    /// A machine this one has sent to has stopped or its process is gone (Akka DeathWatch). The data is a
    /// <see cref="MachineTerminated"/>; the next send to that id resolves it afresh.
    /// </summary>
    public const string TargetTerminated = "xstatenet.target.terminated";

    /// <summary>An action or guard threw; the data is a <see cref="Statecharts.StatechartExecutionError"/>.</summary>
    public const string ErrorExecution = Statecharts.StatechartEvents.ErrorExecution;
}

/// <summary>The data of <see cref="MachineEvents.ErrorCommunication"/>.</summary>
/// <param name="TargetMachineId">The machine id the event was meant for.</param>
/// <param name="EventName">The event that was not delivered.</param>
/// <param name="Payload">Its payload, so nothing is lost: the machine may send it again.</param>
/// <param name="Reason">Why it could not be delivered.</param>
public sealed record CommunicationError(string TargetMachineId, string EventName, object? Payload, string Reason);

/// <summary>The data of <see cref="MachineEvents.TargetTerminated"/>.</summary>
/// <param name="MachineId">The machine id whose actor terminated.</param>
/// <param name="Path">The actor path it was resolved to.</param>
public sealed record MachineTerminated(string MachineId, string Path);
