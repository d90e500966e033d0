namespace XStateNet.Actors.Statecharts;

// The active configuration and the walks over it. Only active states are visited: a compound state
// remembers its active child and a parallel state's regions are all active with it.
public sealed partial class StatechartInterpreter
{
    private readonly bool[] _active;
    private readonly int[] _activeChild;
    private readonly int[] _atomic;
    private int _atomicCount;
    private bool _atomicStale = true;
    private readonly int[] _stack;

    private void Activate(int state)
    {
        _active[state] = true;
        var parent = _nodes[state].ParentIndex;
        if (parent >= 0 && _nodes[parent].IsCompound) _activeChild[parent] = state;
        _atomicStale = true;
        _activeStatesCache = null;
    }

    private void Deactivate(int state)
    {
        _active[state] = false;
        var parent = _nodes[state].ParentIndex;
        if (parent >= 0 && _activeChild[parent] == state) _activeChild[parent] = -1;
        _atomicStale = true;
        _activeStatesCache = null;
    }

    /// <summary>Recomputes the active atomic states in document order, when the configuration changed.</summary>
    private void RefreshAtomicStates()
    {
        if (!_atomicStale) return;
        _atomicCount = 0;
        if (_active[0]) WalkActive(0, includeSelf: true, atomicOnly: true, _atomic, ref _atomicCount);
        _atomicStale = false;
    }

    /// <summary>Appends active states below <paramref name="from"/> to <paramref name="into"/>, in document order.</summary>
    private void WalkActive(int from, bool includeSelf, bool atomicOnly, int[] into, ref int count)
    {
        var top = 0;
        if (includeSelf) _stack[top++] = from;
        else PushActiveChildren(from, ref top);
        while (top > 0)
        {
            var state = _stack[--top];
            var node = _nodes[state];
            if (node.ChildIndices.Length == 0 || !atomicOnly) into[count++] = state;
            PushActiveChildren(state, ref top);
        }
    }

    private void PushActiveChildren(int state, ref int top)
    {
        var node = _nodes[state];
        if (node.IsCompound)
        {
            var child = _activeChild[state];
            if (child >= 0) _stack[top++] = child;
            return;
        }
        var children = node.ChildIndices;
        for (var i = children.Length - 1; i >= 0; i--) // reversed, so they pop in document order
        {
            if (_active[children[i]]) _stack[top++] = children[i];
        }
    }

    /// <summary>SCXML's isInFinalState: a compound state whose active child is final, or a parallel state whose regions all are.</summary>
    private bool IsInFinalState(int state)
    {
        var node = _nodes[state];
        if (node.IsCompound)
        {
            var child = _activeChild[state];
            return child >= 0 && _nodes[child].Kind == StateKind.Final;
        }
        if (node.IsParallel)
        {
            foreach (var region in node.ChildIndices)
            {
                if (!IsInFinalState(region)) return false;
            }
            return true;
        }
        return false;
    }
}
