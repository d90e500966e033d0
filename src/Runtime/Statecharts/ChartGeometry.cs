namespace XStateNet.Actors.Statecharts;

/// <summary>
/// Tree questions SCXML's algorithm asks, answered from document-order indices without allocating:
/// a state's descendants are the index range right after it.
/// </summary>
internal static class ChartGeometry
{
    /// <summary>
    /// SCXML's transition domain: the source itself for an internal transition whose targets all lie below a
    /// compound source, otherwise the least common compound ancestor of the source and its targets. The root
    /// always qualifies, so root-level transitions never exit the root.
    /// </summary>
    public static int Domain(StateNode[] nodes, Transition transition, ReadOnlySpan<int> effectiveTargets)
    {
        var source = nodes[transition.Source];
        if (transition.IsInternal && source.IsCompound && AllBelow(source, effectiveTargets))
        {
            return source.Index;
        }
        for (var ancestor = source.ParentIndex; ancestor > 0; ancestor = nodes[ancestor].ParentIndex)
        {
            var candidate = nodes[ancestor];
            if (candidate.IsCompound && AllBelow(candidate, effectiveTargets)) return ancestor;
        }
        return 0;
    }

    /// <summary>The nearest state that is an ancestor-or-self of both.</summary>
    public static int LowestCommonAncestor(StateNode[] nodes, int a, int b)
    {
        while (nodes[a].Depth > nodes[b].Depth) a = nodes[a].ParentIndex;
        while (nodes[b].Depth > nodes[a].Depth) b = nodes[b].ParentIndex;
        while (a != b)
        {
            a = nodes[a].ParentIndex;
            b = nodes[b].ParentIndex;
        }
        return a;
    }

    private static bool AllBelow(StateNode ancestor, ReadOnlySpan<int> states)
    {
        foreach (var state in states)
        {
            if (!ancestor.IsAncestorOf(state)) return false;
        }
        return true;
    }
}
