namespace XStateNet.Actors.MultiProcess.Tests.Machines;

/// <summary>
/// Plays ping-pong with a machine by id (through the node's routes): on <c>START {rounds, target}</c> it sends
/// <c>PING 1</c>, and each <c>PONG n</c> must answer the last ping; after the last round it reports
/// <c>PONG_DONE {rounds, from}</c>, and a wrong answer is reported as <c>ORDER_ERROR</c>.
/// </summary>
internal sealed class Pinger
{
    private string _target = "pong";
    private long _rounds;
    private long _sequence;

    public IEnumerable<KeyValuePair<string, Action<OrchestratedContext>>> Actions =>
    [
        new("startPinging", Start),
        new("onPong", OnPong),
    ];

    private void Start(OrchestratedContext ctx)
    {
        _rounds = Payload.Long(ctx, "rounds");
        _target = Payload.Text(ctx, "target", "pong");
        _sequence = 1;
        ctx.RequestSend(_target, "PING", _sequence);
    }

    private void OnPong(OrchestratedContext ctx)
    {
        var answer = Convert.ToInt64(ctx.Payload, System.Globalization.CultureInfo.InvariantCulture);
        if (answer != _sequence)
        {
            Reporting.Report(ctx, "ORDER_ERROR", ("expected", _sequence), ("got", answer));
            return;
        }
        if (_sequence >= _rounds)
        {
            Reporting.Report(ctx, "PONG_DONE", ("rounds", _rounds), ("from", ctx.SourceMachineId));
            return;
        }
        ctx.RequestSend(_target, "PING", ++_sequence);
    }
}
