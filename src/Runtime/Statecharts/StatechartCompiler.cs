using System.Globalization;
using System.Text.Json;

namespace XStateNet.Actors.Statecharts;

/// <summary>
/// Reads XState JSON (v4 and v5 key names) into a <see cref="Statechart"/>. Two passes: the first numbers the
/// states in document order and reads what each says about itself; the second resolves initial states,
/// targets and history defaults, which may point anywhere in the tree. Every problem is collected, with its
/// JSON path, and reported together; nothing half-built escapes.
/// </summary>
internal sealed class StatechartCompiler
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
            Fail(JsonPaths.Root, $"a machine must be a JSON object, not {Describe(root.ValueKind)}");
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

    // ---------------------------------------------------------------- pass 1: states

    private void ReadState(JsonElement json, string key, string jsonPath, StateNode? parent)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            Fail(jsonPath, $"a state must be a JSON object, not {Describe(json.ValueKind)}");
            return;
        }

        var isRoot = parent is null;
        if (!isRoot) CheckKey(key, jsonPath);

        var explicitId = ReadOptionalString(json, "id", jsonPath);
        var path = isRoot ? "" : parent!.Path.Length == 0 ? key : $"{parent.Path}.{key}";
        if (isRoot) _machineId = explicitId ?? DefaultMachineId;
        var id = explicitId ?? (isRoot ? _machineId : $"{_machineId}.{path}");

        var node = new StateNode(_nodes.Count, key, id, path, jsonPath, parent);
        _nodes.Add(node);
        parent?.AllChildren.Add(node);
        _sources[node] = new NodeSource(json, jsonPath);

        if (!_byId.TryAdd(id, node))
        {
            Fail(JsonPaths.Property(jsonPath, "id"), $"duplicate state id '{id}' (already used by the state at {_byId[id].JsonPath})");
        }

        foreach (var property in json.EnumerateObject())
        {
            if (StateKeys.Contains(property.Name)) continue;
            if (isRoot && RootOnlyKeys.Contains(property.Name)) continue;
            var where = JsonPaths.Property(jsonPath, property.Name);
            if (RootOnlyKeys.Contains(property.Name)) Fail(where, $"'{property.Name}' is only allowed on the machine (root) object");
            else if (property.Name is "invoke" or "activities" or "parallel" or "strict" or "delimiter")
                Fail(where, $"'{property.Name}' is not supported by this engine");
            else Fail(where, $"unknown key '{property.Name}'");
        }

        if (isRoot && json.TryGetProperty("context", out var context))
        {
            if (context.ValueKind == JsonValueKind.Object) _context = context;
            else if (context.ValueKind != JsonValueKind.Null)
                Fail(JsonPaths.Property(jsonPath, "context"), $"'context' must be an object, not {Describe(context.ValueKind)}");
        }

        var hasStates = false;
        if (json.TryGetProperty("states", out var states))
        {
            var statesPath = JsonPaths.Property(jsonPath, "states");
            if (states.ValueKind != JsonValueKind.Object)
            {
                Fail(statesPath, $"'states' must be an object, not {Describe(states.ValueKind)}");
            }
            else
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var child in states.EnumerateObject())
                {
                    var childPath = JsonPaths.Property(statesPath, child.Name);
                    if (!seen.Add(child.Name))
                    {
                        Fail(childPath, $"state '{child.Name}' is declared twice");
                        continue;
                    }
                    hasStates = true;
                    ReadState(child.Value, child.Name, childPath, node);
                }
            }
        }

        node.DescendantEnd = _nodes.Count - 1;
        node.Kind = ReadKind(json, jsonPath, hasStates, isRoot);
        node.History = ReadHistoryDepth(json, jsonPath, node.Kind);
        node.EntryActions = ReadActionList(json, jsonPath, "entry", "onEntry");
        node.ExitActions = ReadActionList(json, jsonPath, "exit", "onExit");
        node.DoneData = ReadDoneData(json, jsonPath, node.Kind);
    }

    private void CheckKey(string key, string jsonPath)
    {
        if (key.Length == 0) Fail(jsonPath, "a state key must not be empty");
        else if (key.Contains('.')) Fail(jsonPath, $"state key '{key}' contains '.', which would make dotted targets and paths ambiguous");
        else if (key[0] == '#') Fail(jsonPath, $"state key '{key}' starts with '#', which targets read as an id");
    }

    private StateKind ReadKind(JsonElement json, string jsonPath, bool hasStates, bool isRoot)
    {
        var typePath = JsonPaths.Property(jsonPath, "type");
        var type = ReadOptionalString(json, "type", jsonPath);
        StateKind kind;
        switch (type)
        {
            case null: kind = hasStates ? StateKind.Compound : StateKind.Atomic; break;
            case "atomic": kind = StateKind.Atomic; break;
            case "compound": kind = StateKind.Compound; break;
            case "parallel": kind = StateKind.Parallel; break;
            case "final": kind = StateKind.Final; break;
            case "history": kind = StateKind.History; break;
            default:
                Fail(typePath, $"unknown state type '{type}' (expected atomic, compound, parallel, final or history)");
                return hasStates ? StateKind.Compound : StateKind.Atomic;
        }

        if (hasStates && kind is StateKind.Atomic or StateKind.Final or StateKind.History)
            Fail(typePath, $"a state of type '{type}' cannot have child states");
        if (!hasStates && kind is StateKind.Compound or StateKind.Parallel)
            Fail(typePath, $"a {type} state needs at least one child state in 'states'");
        if (kind == StateKind.History && isRoot)
            Fail(typePath, "a history state must be inside a compound or parallel state, not the machine itself");
        if (kind == StateKind.Final && isRoot)
            Fail(typePath, "the machine itself cannot be a final state");
        return kind;
    }

    private HistoryDepth ReadHistoryDepth(JsonElement json, string jsonPath, StateKind kind)
    {
        if (!json.TryGetProperty("history", out var history))
            return kind == StateKind.History ? HistoryDepth.Shallow : HistoryDepth.None;

        var where = JsonPaths.Property(jsonPath, "history");
        if (kind != StateKind.History)
        {
            Fail(where, "'history' is only allowed on states with \"type\": \"history\"");
            return HistoryDepth.None;
        }
        switch (history.ValueKind)
        {
            case JsonValueKind.String when history.GetString() == "shallow":
            case JsonValueKind.True:
                return HistoryDepth.Shallow;
            case JsonValueKind.String when history.GetString() == "deep":
                return HistoryDepth.Deep;
            default:
                Fail(where, $"'history' must be \"shallow\" or \"deep\", not {history}");
                return HistoryDepth.Shallow;
        }
    }

    private JsonElement? ReadDoneData(JsonElement json, string jsonPath, StateKind kind)
    {
        JsonElement? data = null;
        foreach (var name in new[] { "output", "data" })
        {
            if (!json.TryGetProperty(name, out var value)) continue;
            if (kind != StateKind.Final) Fail(JsonPaths.Property(jsonPath, name), $"'{name}' is only allowed on final states");
            else if (data is not null) Fail(JsonPaths.Property(jsonPath, name), "give either 'output' (v5) or 'data' (v4), not both");
            else data = value.Clone();
        }
        return data;
    }

    // ---------------------------------------------------------------- pass 2: structure

    private void ResolveStructure(StateNode node)
    {
        var (json, jsonPath) = _sources[node];
        node.ChildIndices = node.AllChildren.Where(c => c.Kind != StateKind.History).Select(c => c.Index).ToArray();
        node.HistoryChildIndices = node.AllChildren.Where(c => c.Kind == StateKind.History).Select(c => c.Index).ToArray();

        var initial = ReadOptionalString(json, "initial", jsonPath);
        var initialPath = JsonPaths.Property(jsonPath, "initial");
        if (node.IsCompound)
        {
            if (initial is null)
            {
                // SCXML's default: the first child state in document order.
                if (node.ChildIndices.Length > 0) node.InitialIndex = node.ChildIndices[0];
                else Fail(jsonPath, "a compound state needs a child that is not a history state");
            }
            else
            {
                var child = node.AllChildren.FirstOrDefault(c => c.Key == initial);
                if (child is null) Fail(initialPath, $"initial state '{initial}' is not a child of {Name(node)} (children: {ChildList(node)})");
                else node.InitialIndex = child.Index;
            }
            node.DoneEventId = _events.Intern(StatechartEvents.DoneState(node.Id), jsonPath);
        }
        else if (node.IsParallel)
        {
            if (initial is not null) Fail(initialPath, "a parallel state enters all its regions; 'initial' is not allowed");
            if (node.ChildIndices.Length == 0) Fail(jsonPath, "a parallel state needs a region that is not a history state");
            node.DoneEventId = _events.Intern(StatechartEvents.DoneState(node.Id), jsonPath);
        }
        else if (initial is not null)
        {
            Fail(initialPath, $"'initial' is only allowed on compound states, not on a {node.Kind.ToString().ToLowerInvariant()} state");
        }

        if (node.Kind == StateKind.History)
        {
            if (node.Parent is not null) ResolveHistoryDefault(node, json, jsonPath); // a root history was reported in pass 1
        }
        else if (json.TryGetProperty("target", out _))
            Fail(JsonPaths.Property(jsonPath, "target"), "'target' on a state is only allowed for history states (their default); transitions go in 'on'");
    }

    private void ResolveHistoryDefault(StateNode history, JsonElement json, string jsonPath)
    {
        var parent = history.Parent!;
        foreach (var key in new[] { "on", "always", "after", "entry", "exit", "onEntry", "onExit", "onDone" })
        {
            if (json.TryGetProperty(key, out _)) Fail(JsonPaths.Property(jsonPath, key), $"a history state is a pseudo-state and cannot have '{key}'");
        }

        if (!json.TryGetProperty("target", out var target) || target.ValueKind == JsonValueKind.Null)
        {
            history.HistoryDefaultTargets = parent.IsCompound
                ? (parent.InitialIndex >= 0 ? new[] { parent.InitialIndex } : Array.Empty<int>())
                : parent.ChildIndices;
            return;
        }

        var targetPath = JsonPaths.Property(jsonPath, "target");
        if (!TryResolveTargets(history, target, targetPath, out var targets, out _)) return;
        foreach (var t in targets)
        {
            if (!parent.IsAncestorOf(t))
                Fail(targetPath, $"the default target of a history state must be inside its parent {Name(parent)}, but {Name(_nodes[t])} is not");
        }
        history.HistoryDefaultTargets = targets;
    }

    // ---------------------------------------------------------------- pass 2: transitions

    private void CompileTransitions(StateNode node)
    {
        if (node.Kind == StateKind.History) return;
        var (json, jsonPath) = _sources[node];
        var byEvent = new Dictionary<int, List<Transition>>();
        var wildcards = new List<(string Descriptor, List<Transition> Candidates)>();
        var eventless = new List<Transition>();

        if (json.TryGetProperty("on", out var on)) ReadOn(node, on, JsonPaths.Property(jsonPath, "on"), byEvent, wildcards, eventless);

        if (json.TryGetProperty("always", out var always))
            eventless.AddRange(ReadTransitions(node, always, JsonPaths.Property(jsonPath, "always")));

        if (json.TryGetProperty("after", out var after)) ReadAfter(node, after, JsonPaths.Property(jsonPath, "after"), byEvent);

        if (json.TryGetProperty("onDone", out var onDone))
        {
            var donePath = JsonPaths.Property(jsonPath, "onDone");
            if (node.DoneEventId < 0 || node.Index == 0)
                Fail(donePath, node.Index == 0
                    ? "'onDone' on the machine is never taken: the machine is done when a top-level final state is entered"
                    : "'onDone' is only allowed on compound and parallel states");
            else AddCandidates(byEvent, node.DoneEventId, ReadTransitions(node, onDone, donePath));
        }

        if (node.Kind == StateKind.Final && (byEvent.Count > 0 || wildcards.Count > 0 || eventless.Count > 0))
            Fail(jsonPath, "a final state cannot have outgoing transitions");

        var ids = byEvent.Keys.Order().ToArray();
        node.Events = ids.Length == 0 && wildcards.Count == 0
            ? EventTransitions.Empty
            : new EventTransitions(ids, ids.Select(id => byEvent[id].ToArray()).ToArray(),
                wildcards
                    .OrderByDescending(w => w.Descriptor.Length) // XState: the most specific descriptor first; '*' last
                    .Select(w => new WildcardTransitions(w.Descriptor == StatechartEvents.Wildcard ? "" : w.Descriptor[..^2], w.Candidates.ToArray()))
                    .ToArray());
        node.Eventless = eventless.ToArray();
    }

    private void ReadOn(StateNode node, JsonElement on, string onPath, Dictionary<int, List<Transition>> byEvent,
        List<(string, List<Transition>)> wildcards, List<Transition> eventless)
    {
        if (on.ValueKind == JsonValueKind.Array)
        {
            // XState v4's array form: [{ "event": "GO", "target": "b" }, ...]
            var index = 0;
            foreach (var item in on.EnumerateArray())
            {
                var itemPath = JsonPaths.Item(onPath, index++);
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("event", out var ev) || ev.ValueKind != JsonValueKind.String)
                {
                    Fail(itemPath, "each item of an 'on' array must be an object with a string 'event'");
                    continue;
                }
                AddOn(node, ev.GetString()!, ReadTransition(node, item, itemPath, ignore: "event"), itemPath, byEvent, wildcards, eventless);
            }
            return;
        }
        if (on.ValueKind != JsonValueKind.Object)
        {
            Fail(onPath, $"'on' must be an object mapping event names to transitions, not {Describe(on.ValueKind)}");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in on.EnumerateObject())
        {
            var path = JsonPaths.Property(onPath, property.Name);
            if (!seen.Add(property.Name))
            {
                Fail(path, $"event '{property.Name}' appears twice in the same 'on' block; use an array of candidates");
                continue;
            }
            AddOn(node, property.Name, ReadTransitions(node, property.Value, path), path, byEvent, wildcards, eventless);
        }
    }

    private void AddOn(StateNode node, string descriptor, IEnumerable<Transition> transitions, string path,
        Dictionary<int, List<Transition>> byEvent, List<(string Descriptor, List<Transition> Candidates)> wildcards, List<Transition> eventless)
    {
        if (descriptor.Length == 0)
        {
            eventless.AddRange(transitions); // XState v4's eventless form: on: { "": ... }
            return;
        }
        var star = descriptor.IndexOf('*');
        if (star >= 0)
        {
            var valid = descriptor == StatechartEvents.Wildcard || (star == descriptor.Length - 1 && descriptor.EndsWith(".*", StringComparison.Ordinal) && descriptor.Length > 2);
            if (!valid)
            {
                Fail(path, $"event descriptor '{descriptor}' is not valid: '*' may only stand alone or as the last token, as in 'mouse.*'");
                return;
            }
            var existing = wildcards.FindIndex(w => w.Descriptor == descriptor);
            if (existing >= 0) wildcards[existing].Candidates.AddRange(transitions);
            else wildcards.Add((descriptor, transitions.ToList()));
            return;
        }
        AddCandidates(byEvent, _events.Intern(descriptor, path), transitions);
    }

    private static void AddCandidates(Dictionary<int, List<Transition>> byEvent, int eventId, IEnumerable<Transition> transitions)
    {
        if (!byEvent.TryGetValue(eventId, out var list)) byEvent[eventId] = list = new List<Transition>();
        list.AddRange(transitions);
    }

    private void ReadAfter(StateNode node, JsonElement after, string afterPath, Dictionary<int, List<Transition>> byEvent)
    {
        var delayed = new List<DelayedTransition>();
        void Add(string delayKey, double? fixedMs, IEnumerable<Transition> transitions, string path)
        {
            var eventId = _events.Intern(StatechartEvents.After(delayKey, node.Id), path);
            AddCandidates(byEvent, eventId, transitions);
            if (delayed.Any(d => d.EventId == eventId)) return; // the same delay listed twice shares one timer
            if (fixedMs is not { } ms)
                delayed.Add(new DelayedTransition { Slot = _delaySlots++, EventId = eventId, DelayName = _delays.Intern(delayKey, path) });
            else if (ms < 0 || double.IsNaN(ms) || double.IsInfinity(ms))
                Fail(path, $"delay '{delayKey}' must be a non-negative number of milliseconds");
            else
                delayed.Add(new DelayedTransition { Slot = _delaySlots++, EventId = eventId, FixedDelay = TimeSpan.FromMilliseconds(ms) });
        }

        static double? Milliseconds(string key) =>
            double.TryParse(key, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) ? ms : null;

        if (after.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in after.EnumerateObject())
            {
                var path = JsonPaths.Property(afterPath, property.Name);
                Add(property.Name, Milliseconds(property.Name), ReadTransitions(node, property.Value, path), path);
            }
        }
        else if (after.ValueKind == JsonValueKind.Array)
        {
            // XState v4's array form: [{ "delay": 1000, "target": "b" }, ...]
            var index = 0;
            foreach (var item in after.EnumerateArray())
            {
                var path = JsonPaths.Item(afterPath, index++);
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("delay", out var delay) ||
                    delay.ValueKind is not (JsonValueKind.Number or JsonValueKind.String))
                {
                    Fail(path, "each item of an 'after' array must be an object with a 'delay' (milliseconds or a delay name)");
                    continue;
                }
                var key = delay.ValueKind == JsonValueKind.Number ? delay.GetRawText() : delay.GetString()!;
                Add(key, Milliseconds(key), ReadTransition(node, item, path, ignore: "delay"), path);
            }
        }
        else
        {
            Fail(afterPath, $"'after' must be an object mapping delays to transitions, not {Describe(after.ValueKind)}");
        }
        node.Delayed = delayed.ToArray();
    }

    /// <summary>A transition value in any of XState's forms: a target string, null, an object, or an array of candidates.</summary>
    private IEnumerable<Transition> ReadTransitions(StateNode source, JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Array) return ReadTransition(source, value, path, ignore: null);
        var result = new List<Transition>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = JsonPaths.Item(path, index++);
            if (item.ValueKind == JsonValueKind.Array) Fail(itemPath, "transition candidates cannot be nested arrays");
            else result.AddRange(ReadTransition(source, item, itemPath, ignore: null));
        }
        return result;
    }

    private IEnumerable<Transition> ReadTransition(StateNode source, JsonElement value, string path, string? ignore)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return new[] { MakeTransition(source, Array.Empty<int>(), false, Array.Empty<int>(), -1, path, hasTarget: false) };
            case JsonValueKind.String:
                return TryResolveTargets(source, value, path, out var targets, out var allRelative)
                    ? new[] { MakeTransition(source, targets, allRelative, Array.Empty<int>(), -1, path, hasTarget: true) }
                    : Array.Empty<Transition>();
            case JsonValueKind.Object:
                break;
            default:
                Fail(path, $"a transition must be a target string, an object or an array, not {Describe(value.ValueKind)}");
                return Array.Empty<Transition>();
        }

        foreach (var property in value.EnumerateObject())
        {
            if (!TransitionKeys.Contains(property.Name) && property.Name != ignore)
                Fail(JsonPaths.Property(path, property.Name), $"unknown transition key '{property.Name}'");
        }

        var ok = true;
        var targetIndices = Array.Empty<int>();
        var relative = false;
        var hasTarget = value.TryGetProperty("target", out var target) && target.ValueKind != JsonValueKind.Null;
        if (hasTarget) ok = TryResolveTargets(source, target, JsonPaths.Property(path, "target"), out targetIndices, out relative);

        var actions = value.TryGetProperty("actions", out var actionsJson)
            ? ReadActions(actionsJson, JsonPaths.Property(path, "actions"))
            : Array.Empty<int>();

        var guard = -1;
        var hasCond = value.TryGetProperty("cond", out var cond);
        var hasGuard = value.TryGetProperty("guard", out var guardJson);
        if (hasCond && hasGuard) Fail(path, "give either 'guard' (v5) or 'cond' (v4), not both");
        else if (hasCond || hasGuard)
        {
            var guardPath = JsonPaths.Property(path, hasGuard ? "guard" : "cond");
            var name = ReadNamed(hasGuard ? guardJson : cond, guardPath, "guard");
            if (name is not null) guard = _guards.Intern(name, guardPath);
        }

        bool? isInternal = null;
        var hasInternal = value.TryGetProperty("internal", out var internalJson);
        var hasReenter = value.TryGetProperty("reenter", out var reenterJson);
        if (hasInternal && hasReenter) Fail(path, "give either 'reenter' (v5) or 'internal' (v4), not both");
        else if (hasInternal) isInternal = ReadBool(internalJson, JsonPaths.Property(path, "internal"));
        else if (hasReenter) isInternal = !ReadBool(reenterJson, JsonPaths.Property(path, "reenter"));

        if (!ok) return Array.Empty<Transition>();
        return new[] { MakeTransition(source, targetIndices, isInternal ?? relative, actions, guard, path, hasTarget) };
    }

    private Transition MakeTransition(StateNode source, int[] targets, bool isInternal, int[] actions, int guard, string path, bool hasTarget)
    {
        var transition = new Transition
        {
            Source = source.Index,
            Targets = targets,
            IsInternal = isInternal,
            Actions = actions,
            Guard = guard,
            JsonPath = path,
            TargetsHistory = targets.Any(t => _nodes[t].Kind == StateKind.History),
        };
        if (hasTarget && targets.Length > 0 && !transition.TargetsHistory)
            transition.StaticDomain = ChartGeometry.Domain(_nodeArray, transition, targets);
        return transition;
    }

    // ---------------------------------------------------------------- targets

    /// <summary>
    /// Resolves XState target strings: <c>#id</c> (optionally followed by a dotted path), <c>.child.path</c>
    /// below the source, or a sibling path resolved from the source's parent (from the root, its children).
    /// </summary>
    private bool TryResolveTargets(StateNode source, JsonElement target, string path, out int[] targets, out bool allRelative)
    {
        var strings = new List<string>();
        targets = Array.Empty<int>();
        allRelative = false;
        if (target.ValueKind == JsonValueKind.String) strings.Add(target.GetString()!);
        else if (target.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in target.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    Fail(path, $"every target must be a string, not {Describe(item.ValueKind)}");
                    return false;
                }
                strings.Add(item.GetString()!);
            }
            if (strings.Count == 0)
            {
                Fail(path, "an empty target list; omit 'target' for a targetless transition");
                return false;
            }
        }
        else
        {
            Fail(path, $"a target must be a string or an array of strings, not {Describe(target.ValueKind)}");
            return false;
        }

        var resolved = new List<int>();
        var ok = true;
        foreach (var text in strings)
        {
            var node = ResolveTarget(source, text, out var problem);
            if (node is null)
            {
                Fail(path, problem!);
                ok = false;
            }
            else if (resolved.Contains(node.Index))
            {
                Fail(path, $"target '{text}' is listed twice");
                ok = false;
            }
            else resolved.Add(node.Index);
        }
        if (!ok) return false;

        for (var i = 0; i < resolved.Count; i++)
        {
            for (var j = i + 1; j < resolved.Count; j++)
            {
                var a = _nodes[resolved[i]];
                var b = _nodes[resolved[j]];
                if (a.IsAncestorOf(b.Index) || b.IsAncestorOf(a.Index)) continue;
                var common = _nodes[ChartGeometry.LowestCommonAncestor(_nodeArray, a.Index, b.Index)];
                if (!common.IsParallel)
                {
                    Fail(path, $"ambiguous targets: {Name(a)} and {Name(b)} cannot both be active, because their common ancestor {Name(common)} is not parallel");
                    ok = false;
                }
            }
        }

        targets = resolved.ToArray();
        allRelative = strings.All(s => s.StartsWith('.'));
        return ok;
    }

    private StateNode? ResolveTarget(StateNode source, string target, out string? problem)
    {
        problem = null;
        if (target.Length == 0)
        {
            problem = "an empty target; omit 'target' for a targetless transition";
            return null;
        }

        if (target[0] == '#')
        {
            var reference = target[1..];
            if (_byId.TryGetValue(reference, out var exact)) return exact;
            // '#id.child.path': the longest id prefix, then a path below it.
            for (var dot = reference.LastIndexOf('.'); dot > 0; dot = reference.LastIndexOf('.', dot - 1))
            {
                if (_byId.TryGetValue(reference[..dot], out var start))
                {
                    var below = Descend(start, reference[(dot + 1)..]);
                    if (below is not null) return below;
                }
            }
            problem = $"target '{target}' names no state id (ids: {string.Join(", ", _byId.Keys.Order(StringComparer.Ordinal).Take(20))})";
            return null;
        }

        var fromSelf = target[0] == '.';
        var origin = fromSelf || source.Parent is null ? source : source.Parent;
        var relativePath = fromSelf ? target[1..] : target;
        var found = Descend(origin, relativePath);
        if (found is null)
        {
            problem = fromSelf
                ? $"target '{target}' matches no state below {Name(source)} (children: {ChildList(source)})"
                : $"target '{target}' matches no state: looked for '{relativePath}' among the children of {Name(origin)} ({ChildList(origin)}); use '#id' or '.child' for other states";
        }
        return found;
    }

    private static StateNode? Descend(StateNode start, string dottedPath)
    {
        var current = start;
        foreach (var key in dottedPath.Split('.'))
        {
            current = current.AllChildren.FirstOrDefault(c => c.Key == key);
            if (current is null) return null;
        }
        return current;
    }

    // ---------------------------------------------------------------- actions, guards, small values

    private int[] ReadActionList(JsonElement json, string jsonPath, string v5Key, string v4Key)
    {
        var hasV5 = json.TryGetProperty(v5Key, out var v5);
        var hasV4 = json.TryGetProperty(v4Key, out var v4);
        if (hasV5 && hasV4)
        {
            Fail(jsonPath, $"give either '{v5Key}' or '{v4Key}', not both");
            return Array.Empty<int>();
        }
        if (hasV5) return ReadActions(v5, JsonPaths.Property(jsonPath, v5Key));
        if (hasV4) return ReadActions(v4, JsonPaths.Property(jsonPath, v4Key));
        return Array.Empty<int>();
    }

    private int[] ReadActions(JsonElement json, string path)
    {
        if (json.ValueKind == JsonValueKind.Null) return Array.Empty<int>();
        if (json.ValueKind != JsonValueKind.Array)
        {
            var single = ReadNamed(json, path, "action");
            return single is null ? Array.Empty<int>() : new[] { _actions.Intern(single, path) };
        }
        var result = new List<int>();
        var index = 0;
        foreach (var item in json.EnumerateArray())
        {
            var itemPath = JsonPaths.Item(path, index++);
            var name = ReadNamed(item, itemPath, "action");
            if (name is not null) result.Add(_actions.Intern(name, itemPath));
        }
        return result.ToArray();
    }

    /// <summary>An action or guard reference: a name, or an object <c>{ "type": name }</c>.</summary>
    private string? ReadNamed(JsonElement json, string path, string what)
    {
        string? name = null;
        if (json.ValueKind == JsonValueKind.String) name = json.GetString();
        else if (json.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in json.EnumerateObject())
            {
                if (property.Name != "type")
                    Fail(JsonPaths.Property(path, property.Name), $"{what} objects may only have 'type' (parameters are not supported)");
            }
            if (json.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String) name = type.GetString();
            else
            {
                Fail(path, $"an {what} object needs a string 'type'");
                return null;
            }
        }
        else
        {
            Fail(path, $"an {what} must be a name or an object with 'type', not {Describe(json.ValueKind)}");
            return null;
        }
        if (string.IsNullOrEmpty(name))
        {
            Fail(path, $"an {what} name must not be empty");
            return null;
        }
        return name;
    }

    private string? ReadOptionalString(JsonElement json, string key, string jsonPath)
    {
        if (!json.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0) return value.GetString();
        Fail(JsonPaths.Property(jsonPath, key), $"'{key}' must be a non-empty string");
        return null;
    }

    private bool ReadBool(JsonElement json, string path)
    {
        if (json.ValueKind is JsonValueKind.True or JsonValueKind.False) return json.GetBoolean();
        Fail(path, $"expected true or false, not {Describe(json.ValueKind)}");
        return false;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Name(StateNode node) => node.Index == 0 ? "the machine" : $"'{node.Path}'";

    private static string ChildList(StateNode node) =>
        node.AllChildren.Count == 0 ? "none" : string.Join(", ", node.AllChildren.Select(c => c.Key));

    private void Fail(string path, string message) => _errors.Add(new StatechartDefinitionError(path, message));
}
