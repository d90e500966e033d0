using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace XStateNet.Actors.Statecharts;

/// <summary>
/// An immutable, compiled statechart read from XState JSON (v4 or v5 key names). Parse once and share it:
/// any number of <see cref="StatechartInterpreter"/>s can run the same chart, each with its own state.
/// </summary>
/// <example>
/// <code>
/// var chart = Statechart.Parse(json);
/// var run = new StatechartInterpreter(chart, actions, guards);
/// run.Start();
/// run.Send("GO");
/// </code>
/// </example>
public sealed class Statechart
{
    private readonly Dictionary<string, StateNode> _byPath;
    private readonly Dictionary<string, StateNode> _byId;

    internal Statechart(StateNode[] nodes, NameTable actions, NameTable guards, NameTable delays, NameTable events,
        int delaySlots, JsonElement? initialContext)
    {
        Nodes = nodes;
        States = Array.AsReadOnly(nodes);
        Actions = actions;
        Guards = guards;
        Delays = delays;
        Events = events;
        DelaySlotCount = delaySlots;
        InitialContext = initialContext;
        _byPath = nodes.Where(n => n.Index > 0).ToDictionary(n => n.Path, StringComparer.Ordinal);
        _byId = nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        MaxActiveAtomicStates = CountMaxActiveAtomic(nodes, 0);
        HasEventlessTransitions = nodes.Any(n => n.Eventless.Length > 0);
        HasHistoryStates = nodes.Any(n => n.Kind == StateKind.History);
    }

    /// <summary>Reads and compiles XState JSON.</summary>
    /// <exception cref="StatechartDefinitionException">The JSON is malformed or describes an invalid machine; every problem is listed with its JSON path.</exception>
    public static Statechart Parse(string json)
    {
        var chart = StatechartCompiler.Compile(json);
        chart.SourceJson = json;
        return chart;
    }

    /// <summary>The XState JSON the chart was parsed from: what a machine answers to <see cref="GetMachineChart"/>.</summary>
    internal string SourceJson { get; private set; } = "";

    /// <summary>The machine's id (its root <c>id</c>, or <c>(machine)</c>).</summary>
    public string Id => Root.Id;

    /// <summary>The root state: the machine itself.</summary>
    public StateNode Root => Nodes[0];

    /// <summary>Every state in document order, the root first (a read-only view: it cannot be cast back to the array).</summary>
    public IReadOnlyList<StateNode> States { get; }

    /// <summary>The action names the chart uses; an interpreter must be given all of them.</summary>
    public IReadOnlyList<string> ActionNames => Actions.Names;

    /// <summary>The guard names the chart uses; an interpreter must be given all of them.</summary>
    public IReadOnlyList<string> GuardNames => Guards.Names;

    /// <summary>The named delays of <c>after</c> transitions; an interpreter must be given all of them.</summary>
    public IReadOnlyList<string> DelayNames => Delays.Names;

    /// <summary>
    /// A hash of the chart's structure: every state's path, kind and history depth, in document order. Two charts
    /// with the same fingerprint have the same states, so a snapshot of one fits the other; transitions, actions
    /// and context are left out, since changing them leaves a snapshot meaningful.
    /// </summary>
    public string Fingerprint => _fingerprint ??= ComputeFingerprint(Nodes);

    private string? _fingerprint;

    /// <summary>The state at a dotted path from the root (e.g. <c>p.a.a1</c>), or null.</summary>
    public StateNode? FindByPath(string path) => _byPath.GetValueOrDefault(path);

    /// <summary>The state with an id, or null.</summary>
    public StateNode? FindById(string id) => _byId.GetValueOrDefault(id);

    internal StateNode[] Nodes { get; }
    internal NameTable Actions { get; }
    internal NameTable Guards { get; }
    internal NameTable Delays { get; }
    internal NameTable Events { get; }
    internal int DelaySlotCount { get; }
    internal JsonElement? InitialContext { get; }

    /// <summary>False when no state has <c>always</c> transitions, so the interpreter never looks for them.</summary>
    internal bool HasEventlessTransitions { get; }

    /// <summary>False when the chart has no history states, so exits never record anything.</summary>
    internal bool HasHistoryStates { get; }

    /// <summary>An upper bound on how many atomic states can be active at once, to size buffers up front.</summary>
    internal int MaxActiveAtomicStates { get; }

    private static string ComputeFingerprint(StateNode[] nodes)
    {
        var text = new StringBuilder();
        foreach (var node in nodes) text.Append(node.Path).Append('\t').Append(node.Kind).Append('\t').Append(node.History).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 16));
    }

    private static int CountMaxActiveAtomic(StateNode[] nodes, int index)
    {
        var node = nodes[index];
        if (node.ChildIndices.Length == 0) return 1;
        var counts = node.ChildIndices.Select(c => CountMaxActiveAtomic(nodes, c));
        return node.IsParallel ? counts.Sum() : counts.Max();
    }
}
