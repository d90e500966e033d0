using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Diagrams;

/// <summary>
/// A simple layered layout, our own (no served .NET library lays out nested graphs): every compound state is a
/// box holding its children in columns, left to right in the order its transitions lead from the initial child
/// (breadth-first, so the usual path reads left to right); a parallel state stacks its regions top to bottom,
/// separated by dashed lines. Sizes come from the labels, measured with an average glyph width, which is
/// enough for a sans-serif font at the size the writer uses.
/// </summary>
internal sealed class DiagramLayout
{
    public const double FontSize = 12;
    public const double GlyphWidth = 7;
    public const double Header = 26;
    public const double Padding = 14;
    public const double InitialColumn = 30;
    public const double RowGap = 20;
    public const double HistorySize = 28;

    private const double AtomicHeight = 34;
    private const double NoteLine = 15;
    private const double MinAtomicWidth = 70;
    private const double MinColumnGap = 56;
    private const double MaxColumnGap = 240;

    private readonly Statechart _chart;
    private readonly IReadOnlyList<DiagramEdge> _edges;
    private readonly ILookup<int, string> _notes;
    private readonly Dictionary<int, StateBox> _boxes = new();

    private DiagramLayout(Statechart chart, IReadOnlyList<DiagramEdge> edges)
    {
        _chart = chart;
        _edges = edges;
        _notes = edges.Where(e => e.IsTargetless).ToLookup(e => e.Source.Index, e => e.Label);
    }

    /// <summary>The root's box, its top left corner at (<paramref name="margin"/>, <paramref name="margin"/>), and every state's box by state index.</summary>
    public static (StateBox Root, IReadOnlyDictionary<int, StateBox> Boxes) Lay(Statechart chart, IReadOnlyList<DiagramEdge> edges, double margin)
    {
        var layout = new DiagramLayout(chart, edges);
        var root = layout.Measure(chart.Root);
        root.X = root.Y = margin;
        root.MakeAbsolute();
        return (root, layout._boxes);
    }

    public static double TextWidth(string text) => text.Length * GlyphWidth;

    public static string Title(Statechart chart, StateNode node) => node.Index == 0 ? chart.Id : node.Key;

    /// <summary>Sizes a state's box and places its children relative to it.</summary>
    private StateBox Measure(StateNode node)
    {
        var box = new StateBox(node, _notes[node.Index].ToArray());
        _boxes[node.Index] = box;
        var titleWidth = TextWidth(Title(_chart, node)) + 2 * Padding;
        var notesWidth = box.Notes.Count == 0 ? 0 : box.Notes.Max(TextWidth) + 2 * Padding;
        var notesHeight = box.Notes.Count * NoteLine;

        switch (node.Kind)
        {
            case StateKind.History:
                box.Width = box.Height = HistorySize;
                break;
            case StateKind.Atomic or StateKind.Final when node.Children.Count == 0:
                box.Width = Math.Max(MinAtomicWidth, Math.Max(titleWidth, notesWidth));
                box.Height = AtomicHeight + notesHeight;
                break;
            case StateKind.Parallel:
                MeasureRegions(box, Header + notesHeight);
                box.Width = Math.Max(box.Width, Math.Max(titleWidth, notesWidth));
                break;
            default:
                MeasureColumns(box, Header + notesHeight);
                box.Width = Math.Max(box.Width, Math.Max(titleWidth, notesWidth));
                break;
        }
        return box;
    }

    private void MeasureRegions(StateBox box, double top)
    {
        var y = top;
        var width = 0.0;
        foreach (var child in box.Node.Children)
        {
            var region = Measure(child);
            if (box.Children.Count > 0 && child.Kind != StateKind.History)
            {
                box.Separators.Add(y + RowGap / 2);
                y += RowGap;
            }
            region.X = Padding;
            region.Y = y;
            box.Children.Add(region);
            y += region.Height;
            width = Math.Max(width, region.Width);
        }
        foreach (var region in box.Children) region.X = Padding + (width - region.Width) / 2;
        box.Width = width + 2 * Padding;
        box.Height = y + Padding;
    }

    private void MeasureColumns(StateBox box, double top)
    {
        var node = box.Node;
        var children = node.Children.Select(Measure).ToList();
        box.Children.AddRange(children);
        if (children.Count == 0)
        {
            box.Width = MinAtomicWidth;
            box.Height = top + Padding;
            return;
        }
        if (node.InitialIndex >= 0) box.Initial = _boxes[node.InitialIndex];

        var columns = Columns(node, children);
        var gap = ColumnGap(node);
        var left = Padding + (box.Initial is null ? 0 : InitialColumn);
        var heights = columns.Select(c => c.Sum(b => b.Height) + RowGap * (c.Count - 1)).ToArray();
        var tallest = heights.Max();
        var x = left;
        for (var i = 0; i < columns.Count; i++)
        {
            var width = columns[i].Max(b => b.Width);
            var y = top + (tallest - heights[i]) / 2;
            foreach (var child in columns[i])
            {
                child.X = x + (width - child.Width) / 2;
                child.Y = y;
                y += child.Height + RowGap;
            }
            x += width + gap;
        }
        box.Width = x - gap + Padding;
        box.Height = top + tallest + Padding;
    }

    /// <summary>
    /// Children grouped by rank: the initial child first, then breadth-first along the transitions between
    /// children (a transition from or to a grandchild counts for the child holding it). A child nothing leads
    /// to starts a new search in the first column.
    /// </summary>
    private List<List<StateBox>> Columns(StateNode parent, List<StateBox> children)
    {
        var next = new Dictionary<int, List<int>>();
        foreach (var edge in _edges)
        {
            var from = ChildHolding(parent, edge.Source);
            foreach (var target in edge.Targets)
            {
                var to = ChildHolding(parent, target);
                if (from < 0 || to < 0 || from == to) continue;
                if (!next.TryGetValue(from, out var list)) next[from] = list = new List<int>();
                list.Add(to);
            }
        }

        var rank = new Dictionary<int, int>();
        var queue = new Queue<int>();
        void Search(int start)
        {
            rank[start] = 0;
            queue.Enqueue(start);
            while (queue.Count > 0)
            {
                var current = queue.Dequeue();
                foreach (var successor in next.GetValueOrDefault(current) ?? [])
                {
                    if (rank.ContainsKey(successor)) continue;
                    rank[successor] = rank[current] + 1;
                    queue.Enqueue(successor);
                }
            }
        }
        if (parent.InitialIndex >= 0) Search(parent.InitialIndex);
        foreach (var child in children.Where(c => !rank.ContainsKey(c.Node.Index))) Search(child.Node.Index);

        return children.GroupBy(c => rank[c.Node.Index]).OrderBy(g => g.Key).Select(g => g.ToList()).ToList();
    }

    /// <summary>The index of the child of <paramref name="parent"/> that is or holds <paramref name="state"/>, or -1.</summary>
    private static int ChildHolding(StateNode parent, StateNode state)
    {
        for (var current = state; current.Parent is not null; current = current.Parent)
        {
            if (current.Parent == parent) return current.Index;
        }
        return -1;
    }

    /// <summary>Room between columns for the widest label of an arrow between this state's children.</summary>
    private double ColumnGap(StateNode parent)
    {
        var widest = _edges
            .Where(e => !e.IsTargetless && ChildHolding(parent, e.Source) >= 0 && e.Targets.Any(t => ChildHolding(parent, t) >= 0))
            .Select(e => TextWidth(e.Label))
            .DefaultIfEmpty(0)
            .Max();
        return Math.Clamp(widest + 24, MinColumnGap, MaxColumnGap);
    }
}
