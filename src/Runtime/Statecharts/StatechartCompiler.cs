using System.Text.Json;

namespace XStateNet.Actors.Statecharts;

/// <summary>
/// Reads XState JSON (v4 and v5 key names) into a <see cref="Statechart"/>. Two passes: the first numbers the
/// states in document order and reads what each says about itself; the second resolves initial states,
/// targets and history defaults, which may point anywhere in the tree. Every problem is collected, with its
/// JSON path, and reported together; nothing half-built escapes.
/// </summary>
internal sealed partial class StatechartCompiler
{
    private const string DefaultMachineId = "(machine)";

    private static readonly HashSet<string> StateKeys = new(StringComparer.Ordinal)
    {
        "id", "key", "type", "description", "meta", "tags", "states", "on", "always", "after",
        "entry", "exit", "onEntry", "onExit", "initial", "onDone", "history", "target", "output", "data",
    };

    private static readonly HashSet<string> RootOnlyKeys = new(StringComparer.Ordinal)
    {
        "context", "version", "predictableActionArguments", "preserveActionOrder", "schema", "tsTypes", "types", "$schema",
    };

    private static readonly HashSet<string> TransitionKeys = new(StringComparer.Ordinal)
    {
        "target", "actions", "cond", "guard", "internal", "reenter", "description", "meta",
    };

    private readonly List<StatechartDefinitionError> _errors = new();
    private readonly List<StateNode> _nodes = new();
    private readonly Dictionary<string, StateNode> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<StateNode, NodeSource> _sources = new();
    private readonly NameTable _actions = new();
    private readonly NameTable _guards = new();
    private readonly NameTable _delays = new();
    private readonly NameTable _events = new();
    private StateNode[] _nodeArray = Array.Empty<StateNode>();
    private string _machineId = DefaultMachineId;
    private int _delaySlots;
    private JsonElement? _context;

    /// <summary>What the second pass needs from a state's JSON.</summary>
    private sealed record NodeSource(JsonElement Json, string JsonPath);

    public static Statechart Compile(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"line {line + 1}, column {e.BytePositionInLine + 1}" : "unknown position";
            throw new StatechartDefinitionException(
                new[] { new StatechartDefinitionError(JsonPaths.Root, $"malformed JSON at {where}: {e.Message}") }, e);
        }

        using (document)
        {
            var compiler = new StatechartCompiler();
            return compiler.Build(document.RootElement);
        }
    }

    private Statechart Build(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            Fail(JsonPaths.Root, $"a machine must be a JSON object, not {JsonValues.Describe(root.ValueKind)}");
            throw new StatechartDefinitionException(_errors);
        }

        ReadState(root, key: "", JsonPaths.Root, parent: null);
        var nodes = _nodeArray = _nodes.ToArray();
        foreach (var node in nodes) ResolveStructure(node);
        foreach (var node in nodes) CompileTransitions(node);

        if (_errors.Count > 0) throw new StatechartDefinitionException(_errors);

        return new Statechart(nodes, _actions, _guards, _delays, _events, _delaySlots,
            _context is { } context ? context.Clone() : null);
    }
}
