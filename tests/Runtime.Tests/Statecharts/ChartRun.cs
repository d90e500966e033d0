using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Tests.Statecharts;

/// <summary>Builds an interpreter whose every action appends its name to <see cref="Log"/>, for order assertions.</summary>
internal sealed class ChartRun
{
    public List<string> Log { get; } = new();
    public VirtualClock Clock { get; } = new();
    public StatechartInterpreter Run { get; }

    public ChartRun(string json,
        IReadOnlyDictionary<string, Func<StatechartActionContext, bool>>? guards = null,
        IReadOnlyDictionary<string, Action<StatechartActionContext>>? extraActions = null,
        IReadOnlyDictionary<string, TimeSpan>? delays = null,
        Action<StatechartExecutionError>? onError = null)
    {
        var chart = Statechart.Parse(json);
        var actions = new Dictionary<string, Action<StatechartActionContext>>();
        foreach (var name in chart.ActionNames)
        {
            var captured = name;
            actions[name] = _ => Log.Add(captured);
        }
        if (extraActions is not null)
        {
            foreach (var (name, action) in extraActions)
            {
                var captured = name;
                actions[name] = ctx =>
                {
                    Log.Add(captured);
                    action(ctx);
                };
            }
        }
        Run = new StatechartInterpreter(chart, actions, guards ?? new Dictionary<string, Func<StatechartActionContext, bool>>(),
            new StatechartOptions { Scheduler = Clock, Delays = delays, OnExecutionError = onError });
    }

    public ChartRun Started()
    {
        Run.Start();
        return this;
    }

    public string States => string.Join(" ", Run.ActiveStates);

    public string TakeLog()
    {
        var text = string.Join(" ", Log);
        Log.Clear();
        return text;
    }
}
