using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Tests.Statecharts;

/// <summary>
/// An interpreter on a virtual clock whose every action appends its name to a shared <see cref="Log"/>, that can
/// be replaced by one restored from its snapshot's JSON (on a fresh clock) and carry on with the same log.
/// </summary>
internal sealed class SnapshotRun
{
    private readonly Dictionary<string, Action<StatechartActionContext>> _actions = new();
    private readonly Dictionary<string, Func<StatechartActionContext, bool>> _guards;
    private readonly IReadOnlyDictionary<string, TimeSpan>? _delays;
    private readonly int _maxEventless;

    public SnapshotRun(string json,
        IReadOnlyDictionary<string, Func<StatechartActionContext, bool>>? guards = null,
        IReadOnlyDictionary<string, Action<StatechartActionContext>>? extraActions = null,
        IReadOnlyDictionary<string, TimeSpan>? delays = null,
        int maxEventless = 1000)
    {
        Chart = Statechart.Parse(json);
        foreach (var name in Chart.ActionNames)
        {
            var captured = name;
            Action<StatechartActionContext>? extra = null;
            extraActions?.TryGetValue(name, out extra);
            _actions[name] = ctx =>
            {
                Log.Add(captured);
                extra?.Invoke(ctx);
            };
        }
        _guards = guards?.ToDictionary() ?? new Dictionary<string, Func<StatechartActionContext, bool>>();
        _delays = delays;
        _maxEventless = maxEventless;
        Run = new StatechartInterpreter(Chart, _actions, _guards, Options(Clock));
    }

    public Statechart Chart { get; }
    public List<string> Log { get; } = new();
    public VirtualClock Clock { get; private set; } = new();
    public StatechartInterpreter Run { get; private set; }
    public string States => string.Join(" ", Run.ActiveStates);

    public SnapshotRun Started()
    {
        Run.Start();
        return this;
    }

    /// <summary>Snapshot, JSON, back, and a new interpreter on a new clock; returns the JSON.</summary>
    public string Restore()
    {
        var json = Run.GetSnapshot().ToJson();
        Clock = new VirtualClock();
        Run = StatechartInterpreter.FromSnapshot(Chart, StatechartSnapshot.FromJson(json), _actions, _guards, Options(Clock));
        return json;
    }

    public string TakeLog()
    {
        var text = string.Join(" ", Log);
        Log.Clear();
        return text;
    }

    private StatechartOptions Options(VirtualClock clock) =>
        new() { Scheduler = clock, Delays = _delays, MaxEventlessMicrosteps = _maxEventless };
}
