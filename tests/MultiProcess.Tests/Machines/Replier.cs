namespace XStateNet.Actors.MultiProcess.Tests.Machines;

/// <summary>
/// Answers every <c>PING</c> with <c>ctx.Reply("PONG", payload)</c>: to whoever sent it, with no route and no id,
/// which is what the reply specs check over every transport.
/// </summary>
internal static class Replier
{
    public static IEnumerable<KeyValuePair<string, Action<OrchestratedContext>>> Actions =>
    [
        new("replyToSender", ctx => ctx.Reply("PONG", ctx.Payload)),
    ];
}
