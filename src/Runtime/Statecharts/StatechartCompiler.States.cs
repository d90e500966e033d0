using System.Text.Json;

namespace XStateNet.Actors.Statecharts;

/// <summary>Pass 1: numbers the states in document order and reads what each says about itself.</summary>
internal sealed partial class StatechartCompiler
{
    private void ReadState(JsonElement json, string key, string jsonPath, StateNode? parent)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            Fail(jsonPath, $"a state must be a JSON object, not {JsonValues.Describe(json.ValueKind)}");
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
                Fail(JsonPaths.Property(jsonPath, "context"), $"'context' must be an object, not {JsonValues.Describe(context.ValueKind)}");
        }

        var hasStates = false;
        if (json.TryGetProperty("states", out var states))
        {
            var statesPath = JsonPaths.Property(jsonPath, "states");
            if (states.ValueKind != JsonValueKind.Object)
            {
                Fail(statesPath, $"'states' must be an object, not {JsonValues.Describe(states.ValueKind)}");
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
}
