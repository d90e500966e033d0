using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Bench.Statecharts;

/// <summary>The nested, parallel scenario run by <see cref="StatechartInterpreter"/>.</summary>
internal sealed class NestedEngine : ITransitionWorkload
{
    private readonly StatechartInterpreter _run;
    private readonly NestedCounters _counters = new();

    public NestedEngine()
    {
        _run = new StatechartInterpreter(NestedChart.Chart, NestedChart.Actions(_counters), NestedChart.Guards(_counters));
        _run.Start();
    }

    public void Run(int events)
    {
        var run = _run;
        var step = NestedChart.StepEvent;
        for (var i = 0; i < events; i++) run.Send(step, null);
    }

    public long TransitionsTaken => _counters.Transitions;

    public string Fingerprint() => $"states=[{string.Join(", ", _run.ActiveStates)}] {_counters}";
}
