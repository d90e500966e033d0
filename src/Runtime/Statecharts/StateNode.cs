namespace XStateNet.Actors.Statecharts;

/// <summary>
/// One state of a compiled <see cref="Statechart"/>: its place in the chart (key, id, path, kind, parent, children).
/// Read-only for users; what the compiler fills in (transitions, actions, the index ranges the interpreter walks)
/// is internal to this assembly, and the interpreter keeps what changes at run time.
/// States are numbered in document order (pre-order), so a state's descendants are the contiguous range of
/// indices right after it; the interpreter's exit and entry sets lean on that.
/// </summary>
public sealed class StateNode
{
    internal StateNode(int index, string key, string id, string path, string jsonPath, StateNode? parent)
    {
        Index = index;
        Key = key;
        Id = id;
        Path = path;
        JsonPath = jsonPath;
        Parent = parent;
        ParentIndex = parent?.Index ?? -1;
        Depth = parent is null ? 0 : parent.Depth + 1;
        Children = AllChildren.AsReadOnly();
    }

    /// <summary>The key of this state in its parent's <c>states</c> (empty for the root).</summary>
    public string Key { get; }

    /// <summary>The state's id: its <c>id</c> key, or XState's default (the machine id and the path, dotted).</summary>
    public string Id { get; }

    /// <summary>The dotted path of keys from the root, e.g. <c>p.a.a1</c> (empty for the root).</summary>
    public string Path { get; }

    /// <summary>Where this state is in the JSON document.</summary>
    public string JsonPath { get; }

    /// <summary>What kind of state this is.</summary>
    public StateKind Kind { get; internal set; }

    /// <summary>For a history state, how deep it remembers; otherwise <see cref="HistoryDepth.None"/>.</summary>
    public HistoryDepth History { get; internal set; }

    /// <summary>The parent state, or null for the root.</summary>
    public StateNode? Parent { get; }

    /// <summary>The child states in document order, history states included (a read-only view: it cannot be cast back to the list).</summary>
    public IReadOnlyList<StateNode> Children { get; }

    /// <summary>The position of this state in document order (the root is 0).</summary>
    public int Index { get; }

    // Compiler-filled structure, read by the interpreter and by in-assembly readers of the chart (diagrams).
    internal int ParentIndex { get; }
    internal int Depth { get; }
    /// <summary>The children as the compiler builds them; <see cref="Children"/> is the users' read-only view of it.</summary>
    internal List<StateNode> AllChildren { get; } = new();

    /// <summary>Last index of this state's descendants (itself when it has none).</summary>
    internal int DescendantEnd;
    /// <summary>Children that are real states (history excluded), in document order.</summary>
    internal int[] ChildIndices = Array.Empty<int>();
    internal int[] HistoryChildIndices = Array.Empty<int>();
    /// <summary>Compound states: the child entered by default.</summary>
    internal int InitialIndex = -1;
    /// <summary>History states: where to go when nothing has been remembered yet.</summary>
    internal int[] HistoryDefaultTargets = Array.Empty<int>();

    internal int[] EntryActions = Array.Empty<int>();
    internal int[] ExitActions = Array.Empty<int>();
    internal EventTransitions Events = EventTransitions.Empty;
    internal Transition[] Eventless = Array.Empty<Transition>();
    internal DelayedTransition[] Delayed = Array.Empty<DelayedTransition>();
    /// <summary>Compound and parallel states: the id of their <c>done.state.&lt;id&gt;</c> event.</summary>
    internal int DoneEventId = -1;
    /// <summary>Final states: the data their completion event carries (<c>output</c> or v4 <c>data</c>).</summary>
    internal System.Text.Json.JsonElement? DoneData;

    internal bool IsCompound => Kind == StateKind.Compound;
    internal bool IsParallel => Kind == StateKind.Parallel;
    internal bool IsAtomicLike => Kind is StateKind.Atomic or StateKind.Final;

    /// <summary>True when <paramref name="other"/> is a proper descendant of this state.</summary>
    internal bool IsAncestorOf(int other) => other > Index && other <= DescendantEnd;

    /// <inheritdoc />
    public override string ToString() => Index == 0 ? $"#{Id}" : Path;
}
