using Akka.Actor;

namespace XStateNet.Actors.MultiProcess.Tests.Machines;

/// <summary>
/// Answers <c>REQUEST {replyTo, n}</c> with <c>ANSWER 2n</c> told straight to <c>replyTo</c>: the asker's
/// temporary actor, which crossed the process boundary inside the payload. This is how a spec's <c>Ask</c>
/// gets a reply from a machine, whose actions have no sender to answer.
/// </summary>
internal static class AskResponder
{
    public static IEnumerable<KeyValuePair<string, Action<OrchestratedContext>>> Actions =>
    [
        new("answer", Answer),
    ];

    private static void Answer(OrchestratedContext ctx)
    {
        var replyTo = (IActorRef)Payload.Field(ctx, "replyTo");
        var n = Payload.Long(ctx, "n");
        replyTo.Tell(new MachineEvent("ANSWER", n * 2) { SourceMachineId = ctx.MachineId }, ActorRefs.NoSender);
    }
}
