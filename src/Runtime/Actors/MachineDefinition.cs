using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors;

/// <summary>
/// Everything needed to spawn a machine: its id, its XState JSON and the implementations of the names the
/// chart uses. Actions may be synchronous or asynchronous; a machine handles its next event only after its
/// async actions have completed.
/// </summary>
public sealed class MachineDefinition
{
    /// <summary>Creates a definition, parsing the chart now so a bad script fails here, not in the actor.</summary>
    /// <exception cref="StatechartDefinitionException">The JSON is malformed or invalid.</exception>
    public MachineDefinition(string id, string json)
        : this(id, Statechart.Parse(json ?? throw new ArgumentNullException(nameof(json))))
    {
    }

    /// <summary>Creates a definition from a chart already parsed (charts are immutable and shareable).</summary>
    public MachineDefinition(string id, Statechart chart)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        Id = id;
        Chart = chart ?? throw new ArgumentNullException(nameof(chart));
    }

    /// <summary>The machine id; the actor lives at <c>/user/&lt;id&gt;</c>.</summary>
    public string Id { get; }

    /// <summary>The compiled chart.</summary>
    public Statechart Chart { get; }

    /// <summary>Synchronous actions by name.</summary>
    public IReadOnlyDictionary<string, Action<OrchestratedContext>> Actions { get; init; } = new Dictionary<string, Action<OrchestratedContext>>();

    /// <summary>Asynchronous actions by name.</summary>
    public IReadOnlyDictionary<string, Func<OrchestratedContext, Task>> AsyncActions { get; init; } = new Dictionary<string, Func<OrchestratedContext, Task>>();

    /// <summary>Guards by name.</summary>
    public IReadOnlyDictionary<string, Func<OrchestratedContext, bool>> Guards { get; init; } = new Dictionary<string, Func<OrchestratedContext, bool>>();

    /// <summary>Values of named delays used by <c>after</c>.</summary>
    public IReadOnlyDictionary<string, TimeSpan>? Delays { get; init; }

    /// <summary>How many eventless microsteps may follow one another before the machine reports a loop.</summary>
    public int MaxEventlessMicrosteps { get; init; } = new StatechartOptions().MaxEventlessMicrosteps;

    internal static MachineDefinition WithActions(string id, string json,
        IReadOnlyDictionary<string, Action<OrchestratedContext>> actions, IReadOnlyDictionary<string, Func<OrchestratedContext, bool>>? guards) =>
        new(id, json)
        {
            Actions = actions ?? throw new ArgumentNullException(nameof(actions)),
            Guards = guards ?? new Dictionary<string, Func<OrchestratedContext, bool>>(),
        };

    internal static MachineDefinition WithAsyncActions(string id, string json,
        IReadOnlyDictionary<string, Func<OrchestratedContext, Task>> actions, IReadOnlyDictionary<string, Func<OrchestratedContext, bool>>? guards) =>
        new(id, json)
        {
            AsyncActions = actions ?? throw new ArgumentNullException(nameof(actions)),
            Guards = guards ?? new Dictionary<string, Func<OrchestratedContext, bool>>(),
        };

    /// <summary>Checks that every action, guard and delay the chart uses is supplied, listing all that are not.</summary>
    /// <exception cref="StatechartDefinitionException">Some names are missing, or an action is both sync and async.</exception>
    public void Validate()
    {
        var both = Actions.Keys.Intersect(AsyncActions.Keys, StringComparer.Ordinal).ToList();
        if (both.Count > 0)
        {
            throw new StatechartDefinitionException(both
                .Select(name => new StatechartDefinitionError("$", $"action '{name}' is given both as a synchronous and as an async action"))
                .ToList());
        }
        // The interpreter's own binding check lists every missing name with where the chart uses it.
        var anyAction = new Action<StatechartActionContext>(_ => { });
        var anyGuard = new Func<StatechartActionContext, bool>(_ => false);
        _ = new StatechartInterpreter(Chart,
            Actions.Keys.Concat(AsyncActions.Keys).ToDictionary(name => name, _ => anyAction),
            Guards.Keys.ToDictionary(name => name, _ => anyGuard),
            new StatechartOptions { Delays = Delays, Scheduler = new VirtualClock() });
    }
}
