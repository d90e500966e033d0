namespace XStateNet.Actors.MultiProcess.Tests.Machines;

/// <summary>
/// Sends one stream of numbered <c>ITEM</c>s to several machines by id: on <c>START {count, targets}</c>
/// (targets comma-separated) every target gets <c>ITEM 1..count</c>, in batches so the machine stays responsive.
/// Reports <c>BROADCAST_SENT {count, targets}</c> once everything is handed to the transport.
/// </summary>
internal sealed class Broadcaster
{
    private const int Batch = 200;

    private string[] _targets = [];
    private long _total;
    private long _sent;

    public IEnumerable<KeyValuePair<string, Action<OrchestratedContext>>> Actions =>
    [
        new("startBroadcast", Start),
        new("emitBroadcast", Emit),
    ];

    private void Start(OrchestratedContext ctx)
    {
        _total = Payload.Long(ctx, "count");
        _targets = ((string)Payload.Field(ctx, "targets")).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        _sent = 0;
        Emit(ctx);
    }

    private void Emit(OrchestratedContext ctx)
    {
        var end = Math.Min(_total, _sent + Batch);
        while (_sent < end)
        {
            _sent++;
            foreach (var target in _targets) ctx.RequestSend(target, "ITEM", _sent);
        }
        if (_sent < _total) ctx.RequestSelfSend("EMIT");
        else Reporting.Report(ctx, "BROADCAST_SENT", ("count", _total), ("targets", string.Join(',', _targets)));
    }
}
