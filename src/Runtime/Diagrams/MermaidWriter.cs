using System.Text;
using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Diagrams;

/// <summary>
/// Writes Mermaid's <c>stateDiagram-v2</c>. Compound states become composite blocks with their own <c>[*]</c>
/// start, parallel regions are split by <c>--</c>, a final state leads to <c>[*]</c>, a history state is a state
/// labelled <c>H</c> or <c>H*</c> whose default target is an unlabelled arrow. Each arrow is written in the
/// innermost composite that holds both its ends, since Mermaid scopes states by the block they appear in;
/// a targetless transition becomes a description line of its state, since it enters and exits nothing.
/// </summary>
internal sealed class MermaidWriter
{
    private const string Indent = "    ";

    private readonly Statechart _chart;
    private readonly DiagramNames _names;
    private readonly ILookup<int, DiagramEdge> _edgesByScope;
    private readonly ILookup<int, DiagramEdge> _targetlessBySource;
    private readonly StringBuilder _text = new();

    private MermaidWriter(Statechart chart)
    {
        _chart = chart;
        _names = new DiagramNames(chart);
        var edges = DiagramEdges.Of(chart);
        _edgesByScope = edges.Where(e => !e.IsTargetless).ToLookup(ScopeOf);
        _targetlessBySource = edges.Where(e => e.IsTargetless).ToLookup(e => e.Source.Index);
    }

    public static string Write(Statechart chart)
    {
        var writer = new MermaidWriter(chart);
        writer.WriteDocument();
        return writer._text.ToString();
    }

    private void WriteDocument()
    {
        _text.Append("stateDiagram-v2\n");
        var root = _chart.Root;
        if (root.Kind == StateKind.Compound)
        {
            WriteContents(root, depth: 1);
        }
        else
        {
            // A parallel (or childless) machine is drawn as one state, so its regions have a block to live in.
            Line(1, $"[*] --> {_names[root]}");
            WriteState(root, depth: 1);
            WriteEdges(TopLevel, depth: 1);
        }
    }

    /// <summary>What a compound state's block holds: its start, its children, the arrows scoped to it, its ends.</summary>
    private void WriteContents(StateNode compound, int depth)
    {
        if (compound.InitialIndex >= 0) Line(depth, $"[*] --> {_names[_chart.Nodes[compound.InitialIndex]]}");
        foreach (var child in compound.Children) WriteState(child, depth);
        WriteEdges(compound.Index == 0 ? TopLevel : compound.Index, depth);
        foreach (var child in compound.Children.Where(c => c.Kind == StateKind.Final)) Line(depth, $"{_names[child]} --> [*]");
    }

    private void WriteState(StateNode node, int depth)
    {
        var id = _names[node];
        var label = node.Kind == StateKind.History ? HistoryLabel(node) : node.Index == 0 ? _chart.Id : node.Key;
        if (label != id) Line(depth, $"state \"{Quote(label)}\" as {id}");
        foreach (var edge in _targetlessBySource[node.Index]) Line(depth, $"{id} : {Escape(edge.Label)}");

        if (node.Kind == StateKind.Compound)
        {
            Line(depth, $"state {id} {{");
            WriteContents(node, depth + 1);
            Line(depth, "}");
        }
        else if (node.Kind == StateKind.Parallel)
        {
            Line(depth, $"state {id} {{");
            var regions = 0;
            foreach (var region in node.Children)
            {
                if (region.Kind != StateKind.History && regions++ > 0) Line(depth + 1, "--");
                WriteState(region, depth + 1);
            }
            Line(depth, "}");
        }
        else if (label == id && !_targetlessBySource[node.Index].Any())
        {
            Line(depth, id); // an atomic state nothing else mentions still appears
        }
    }

    private void WriteEdges(int scope, int depth)
    {
        foreach (var edge in _edgesByScope[scope])
        {
            foreach (var target in edge.Targets)
            {
                var arrow = $"{_names[edge.Source]} --> {_names[target]}";
                Line(depth, edge.Label.Length == 0 ? arrow : $"{arrow} : {Escape(edge.Label)}");
            }
        }
    }

    private const int TopLevel = -1;

    /// <summary>
    /// The innermost compound state strictly above every end of the edge, or <see cref="TopLevel"/>. A parallel
    /// state's block is made of regions, so an arrow between regions is written outside it.
    /// </summary>
    private int ScopeOf(DiagramEdge edge)
    {
        var nodes = _chart.Nodes;
        var scope = edge.Source.Index;
        foreach (var target in edge.Targets) scope = ChartGeometry.LowestCommonAncestor(nodes, scope, target.Index);
        StateNode? candidate = nodes[scope];
        while (candidate is not null &&
               (candidate == edge.Source || edge.Targets.Contains(candidate) || candidate.Kind != StateKind.Compound))
        {
            candidate = candidate.Parent;
        }
        return candidate is null || candidate.Index == 0 ? TopLevel : candidate.Index;
    }

    private static string HistoryLabel(StateNode node) => node.History == HistoryDepth.Deep ? "H*" : "H";

    private void Line(int depth, string text)
    {
        for (var i = 0; i < depth; i++) _text.Append(Indent);
        _text.Append(text).Append('\n');
    }

    /// <summary>Mermaid's entity codes for the characters that would end or break a label.</summary>
    private static string Escape(string label)
    {
        var escaped = new StringBuilder(label.Length);
        foreach (var c in label)
        {
            escaped.Append(c switch
            {
                '#' => "#35;",
                ';' => "#59;",
                '\r' or '\n' => " ",
                _ => c.ToString(),
            });
        }
        return escaped.ToString();
    }

    private static string Quote(string label) => Escape(label).Replace("\"", "#quot;", StringComparison.Ordinal);
}
