using System.Text.Json;

namespace XStateNet.Actors.Statecharts;

/// <summary>Resolving transition targets: ids, relative and dotted paths.</summary>
internal sealed partial class StatechartCompiler
{
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
                    Fail(path, $"every target must be a string, not {JsonValues.Describe(item.ValueKind)}");
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
            Fail(path, $"a target must be a string or an array of strings, not {JsonValues.Describe(target.ValueKind)}");
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
}
