namespace XStateNet.Actors.MultiProcess.Tests.Machines;

/// <summary>Answers every <c>PING</c> with a <c>PONG</c> carrying the same payload, to the machine that sent it.</summary>
internal static class Ponger
{
    public static IEnumerable<KeyValuePair<string, Action<OrchestratedContext>>> Actions =>
    [
        new("reply", Reply),
    ];

    private static void Reply(OrchestratedContext ctx)
    {
        if (ctx.SourceMachineId is { } sender) ctx.RequestSend(sender, "PONG", ctx.Payload);
        else Console.WriteLine($"{ctx.MachineId}: a {ctx.EventName} from outside any machine has no one to answer");
    }
}
