using Akka.Actor;

namespace XStateNet.Actors;

/// <summary>Whom a <see cref="OrchestratedContext.Reply"/> goes to: the sender of the event being handled.</summary>
/// <param name="Sender">The inbound message's sender, or null when it was told with none (<c>ActorRefs.NoSender</c>).</param>
/// <param name="SourceMachineId">The id of the machine that sent it, when a machine did.</param>
/// <param name="HandledEvent">The event being replied to, for the error when there is no one to reply to.</param>
internal sealed record ReplyAddress(IActorRef? Sender, string? SourceMachineId, string HandledEvent)
{
    /// <summary>How the error names the missing target: the machine id, else the sender's path, else a description.</summary>
    public string TargetName => SourceMachineId ?? Sender?.Path.ToString() ?? "(no sender)";
}
