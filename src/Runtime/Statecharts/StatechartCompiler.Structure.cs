using System.Text.Json;

namespace XStateNet.Actors.Statecharts;

/// <summary>Pass 2: initial states, children and history defaults, which may point anywhere in the tree.</summary>
internal sealed partial class StatechartCompiler
{
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
}
