using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Bench.Statecharts;

/// <summary>The flat ring run by <see cref="StatechartInterpreter"/>.</summary>
internal sealed class FlatRingEngine : ITransitionWorkload
{
    private readonly StatechartInterpreter _run;
    private long _sent;

    public FlatRingEngine()
    {
        _run = new StatechartInterpreter(FlatRingChart.Chart);
        _run.Start();
    }

    public void Run(int events)
    {
        var run = _run;
        var next = FlatRingChart.NextEvent; // one interned string, so no event name is built per send
        for (var i = 0; i < events; i++) run.Send(next, null);
        _sent += events;
    }

    /// <summary>Every NEXT moves the ring one step, so transitions are events sent.</summary>
    public long TransitionsTaken => _sent;

    public string Fingerprint() => $"states=[{string.Join(", ", _run.ActiveStates)}]";
}
