using System.Diagnostics;

namespace XStateNet.Actors.MultiProcess.Tests.Machines;

/// <summary>
/// One link of a ring of machines in different processes. Every link sends to the machine id <c>next</c>, which
/// each node's routes map to the following process. The link that gets <c>START {count}</c> originates
/// <c>HOP 1..count</c> (in batches, so returning hops interleave); the others forward every hop; every link checks
/// each sender's order (<see cref="PerSenderOrder"/>). When all hops are back, the originator reports
/// <c>CHAIN_DONE {received, outOfOrder, elapsedMs}</c>.
/// </summary>
internal sealed class ChainLink
{
    private const string Next = "next";
    private const int Batch = 500;

    private readonly PerSenderOrder _order = new();
    private readonly Stopwatch _elapsed = new();
    private bool _originator;
    private long _total;
    private long _emitted;

    public IEnumerable<KeyValuePair<string, Action<OrchestratedContext>>> Actions =>
    [
        new("startChain", Start),
        new("emitChain", Emit),
        new("onHop", OnHop),
    ];

    private void Start(OrchestratedContext ctx)
    {
        _originator = true;
        _total = Payload.Long(ctx, "count");
        _emitted = 0;
        _elapsed.Restart();
        Emit(ctx);
    }

    private void Emit(OrchestratedContext ctx)
    {
        var end = Math.Min(_total, _emitted + Batch);
        while (_emitted < end) ctx.RequestSend(Next, "HOP", ++_emitted);
        if (_emitted < _total) ctx.RequestSelfSend("EMIT");
    }

    private void OnHop(OrchestratedContext ctx)
    {
        var sequence = (long)ctx.Payload!;
        _order.Accept(ctx, ctx.SourceMachineId ?? "(outside)", sequence);
        if (!_originator)
        {
            ctx.RequestSend(Next, "HOP", sequence);
            return;
        }
        if (_order.Received == _total)
        {
            Reporting.Report(ctx, "CHAIN_DONE",
                ("received", _order.Received), ("outOfOrder", _order.OutOfOrder), ("elapsedMs", _elapsed.ElapsedMilliseconds));
        }
    }
}
