namespace XStateNet.Actors.MultiProcess.Tests.Machines;

/// <summary>Counts numbered <c>ITEM</c>s and checks each sender's order; the tallies are in the machine's context.</summary>
internal sealed class Sink
{
    private readonly PerSenderOrder _order = new();

    public IEnumerable<KeyValuePair<string, Action<OrchestratedContext>>> Actions =>
    [
        new("onItem", ctx => _order.Accept(ctx, ctx.SourceMachineId ?? "(outside)", (long)ctx.Payload!)),
    ];
}
