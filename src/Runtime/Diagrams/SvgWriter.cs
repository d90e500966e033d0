using System.Globalization;
using System.Xml.Linq;
using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Diagrams;

/// <summary>
/// Draws a laid-out chart as SVG, built with <see cref="XElement"/> so every name and label is escaped and the
/// document is well-formed whatever the chart's keys are. States are groups carrying <c>data-path</c> (the dotted
/// path) and the class <c>xsn-active</c> when active, so a page can find and restyle them.
/// </summary>
internal sealed class SvgWriter
{
    /// <summary>The class of an active state's group.</summary>
    public const string ActiveClass = "xsn-active";

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private const double Margin = 12;
    private const double LabelLine = 14;
    private const double Bend = 18;

    private const string Style = """
        .xsn-state > .xsn-frame { fill: #ffffff; stroke: #5b6475; stroke-width: 1.2; }
        .xsn-compound > .xsn-frame, .xsn-parallel > .xsn-frame { fill: #f6f7f9; }
        .xsn-active > .xsn-frame { stroke: #d46b08; stroke-width: 2.4; }
        .xsn-atomic.xsn-active > .xsn-frame, .xsn-final.xsn-active > .xsn-frame { fill: #ffe58f; }
        .xsn-title { font: bold 12px sans-serif; fill: #1f2329; }
        .xsn-note { font: italic 11px sans-serif; fill: #5b6475; }
        .xsn-edge { fill: none; stroke: #3d5a80; stroke-width: 1.3; }
        .xsn-label { font: 11px sans-serif; fill: #3d5a80; }
        .xsn-label-bg { fill: #ffffff; opacity: 0.85; }
        .xsn-separator { stroke: #8c95a5; stroke-dasharray: 6 4; }
        .xsn-start { fill: #1f2329; }
        """;

    private readonly Statechart _chart;
    private readonly IReadOnlyList<DiagramEdge> _edges;
    private readonly IReadOnlyDictionary<int, StateBox> _boxes;
    private readonly StateBox _root;
    private readonly HashSet<int> _active;

    private SvgWriter(Statechart chart, IReadOnlyCollection<string>? activeStates)
    {
        _chart = chart;
        _edges = DiagramEdges.Of(chart);
        (_root, _boxes) = DiagramLayout.Lay(chart, _edges, Margin);
        _active = ActiveSet(chart, activeStates);
    }

    public static string Write(Statechart chart, IReadOnlyCollection<string>? activeStates) =>
        new SvgWriter(chart, activeStates).Document().ToString(SaveOptions.DisableFormatting);

    /// <summary>The given states and their ancestors: a compound state is active while one of its children is.</summary>
    private static HashSet<int> ActiveSet(Statechart chart, IReadOnlyCollection<string>? activeStates)
    {
        var active = new HashSet<int>();
        if (activeStates is null) return active;
        var unknown = new List<string>();
        foreach (var path in activeStates)
        {
            if (path is null || chart.FindByPath(path) is not { } state)
            {
                unknown.Add(path ?? "(null)");
                continue;
            }
            for (StateNode? current = state; current is not null; current = current.Parent) active.Add(current.Index);
        }
        if (unknown.Count > 0)
            throw new ArgumentException(
                $"active states not in chart '{chart.Id}': {string.Join(", ", unknown.Select(p => $"'{p}'"))}", nameof(activeStates));
        return active;
    }

    private XElement Document()
    {
        var width = _root.Width + 2 * Margin;
        var height = _root.Height + 2 * Margin;
        var svg = new XElement(Svg + "svg",
            new XAttribute("width", Number(width)),
            new XAttribute("height", Number(height)),
            new XAttribute("viewBox", $"0 0 {Number(width)} {Number(height)}"),
            new XAttribute("class", "xsn-chart"),
            new XAttribute("data-machine", _chart.Id),
            new XElement(Svg + "title", _chart.Id),
            new XElement(Svg + "style", Style),
            new XElement(Svg + "defs",
                new XElement(Svg + "marker",
                    new XAttribute("id", "xsn-arrow"), new XAttribute("viewBox", "0 0 10 10"),
                    new XAttribute("refX", "9"), new XAttribute("refY", "5"),
                    new XAttribute("markerWidth", "7"), new XAttribute("markerHeight", "7"), new XAttribute("orient", "auto-start-reverse"),
                    new XElement(Svg + "path", new XAttribute("d", "M 0 0 L 10 5 L 0 10 z"), new XAttribute("fill", "#3d5a80")))));
        svg.Add(State(_root));
        svg.Add(Edges());
        return svg;
    }

    private XElement State(StateBox box)
    {
        var node = box.Node;
        var kind = node.Kind == StateKind.Atomic && node.Index == 0 ? "atomic" : node.Kind.ToString().ToLowerInvariant();
        var classes = $"xsn-state xsn-{kind}" + (_active.Contains(node.Index) ? " " + ActiveClass : "");
        var group = new XElement(Svg + "g",
            new XAttribute("class", classes),
            new XAttribute("data-path", node.Path),
            new XElement(Svg + "title", node.Index == 0 ? _chart.Id : node.Path));

        if (node.Kind == StateKind.History)
        {
            group.Add(new XElement(Svg + "circle", new XAttribute("class", "xsn-frame"),
                new XAttribute("cx", Number(box.CenterX)), new XAttribute("cy", Number(box.CenterY)), new XAttribute("r", Number(box.Width / 2))));
            group.Add(Text("xsn-title", box.CenterX, box.CenterY + 4, node.History == HistoryDepth.Deep ? "H*" : "H", middle: true));
            return group;
        }

        var container = box.Children.Count > 0;
        group.Add(Rect("xsn-frame", box.X, box.Y, box.Width, box.Height, container ? 10 : 8));
        if (node.Kind == StateKind.Final) group.Add(Rect("xsn-frame", box.X + 3, box.Y + 3, box.Width - 6, box.Height - 6, 6));

        var title = DiagramLayout.Title(_chart, node);
        var titleBaseline = container ? box.Y + 17 : box.Y + 21;
        group.Add(container
            ? Text("xsn-title", box.X + 10, titleBaseline, title, middle: false)
            : Text("xsn-title", box.CenterX, titleBaseline, title, middle: true));
        for (var i = 0; i < box.Notes.Count; i++)
        {
            group.Add(container
                ? Text("xsn-note", box.X + 10, titleBaseline + 15 * (i + 1), box.Notes[i], middle: false)
                : Text("xsn-note", box.CenterX, titleBaseline + 15 * (i + 1), box.Notes[i], middle: true));
        }

        foreach (var y in box.Separators)
        {
            group.Add(new XElement(Svg + "line", new XAttribute("class", "xsn-separator"),
                new XAttribute("x1", Number(box.X + 6)), new XAttribute("y1", Number(y)),
                new XAttribute("x2", Number(box.X + box.Width - 6)), new XAttribute("y2", Number(y))));
        }
        if (box.Initial is { } initial)
        {
            var dotX = box.X + DiagramLayout.Padding + 6;
            group.Add(new XElement(Svg + "circle", new XAttribute("class", "xsn-start"),
                new XAttribute("cx", Number(dotX)), new XAttribute("cy", Number(initial.CenterY)), new XAttribute("r", "5")));
            group.Add(Path($"M {Number(dotX + 5)} {Number(initial.CenterY)} L {Number(initial.X - 1)} {Number(initial.CenterY)}"));
        }
        foreach (var child in box.Children) group.Add(State(child));
        return group;
    }

    /// <summary>
    /// One arrow per (source, target) pair, its labels stacked: a curve bent to the right of its direction, so
    /// the arrows of a back-and-forth pair do not overlap; a transition to its own source is a loop above it.
    /// </summary>
    private XElement Edges()
    {
        var group = new XElement(Svg + "g", new XAttribute("class", "xsn-edges"));
        var pairs = _edges
            .Where(e => !e.IsTargetless)
            .SelectMany(e => e.Targets.Select(t => (Source: e.Source.Index, Target: t.Index, e.Label)))
            .GroupBy(e => (e.Source, e.Target));
        foreach (var pair in pairs)
        {
            var labels = pair.Select(e => e.Label).Where(l => l.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
            var source = _boxes[pair.Key.Source];
            var target = _boxes[pair.Key.Target];
            double labelX, labelY;
            if (source == target)
            {
                var start = (X: source.X + source.Width * 0.65, Y: source.Y);
                var end = (X: source.X + source.Width * 0.35, Y: source.Y);
                group.Add(Path($"M {Number(start.X)} {Number(start.Y)} C {Number(start.X + 12)} {Number(start.Y - 34)}, {Number(end.X - 12)} {Number(end.Y - 34)}, {Number(end.X)} {Number(end.Y)}"));
                labelX = source.CenterX;
                labelY = source.Y - 30 - LabelLine * labels.Length / 2;
            }
            else
            {
                var from = Border(source, target.CenterX, target.CenterY);
                var to = Border(target, source.CenterX, source.CenterY);
                var (dx, dy) = (to.X - from.X, to.Y - from.Y);
                var length = Math.Max(Math.Sqrt(dx * dx + dy * dy), 1);
                var control = (X: (from.X + to.X) / 2 - dy / length * Bend, Y: (from.Y + to.Y) / 2 + dx / length * Bend);
                group.Add(Path($"M {Number(from.X)} {Number(from.Y)} Q {Number(control.X)} {Number(control.Y)} {Number(to.X)} {Number(to.Y)}"));
                // The label sits wholly on the side the curve bends to, so a back-and-forth pair keeps its labels apart.
                var (normalX, normalY) = (-dy / length, dx / length);
                var halfLabel = Math.Abs(normalX) * LabelWidth(labels) / 2 + Math.Abs(normalY) * LabelHeight(labels) / 2;
                var offset = Bend / 2 + (labels.Length == 0 ? 0 : halfLabel + 2);
                labelX = (from.X + to.X) / 2 + normalX * offset;
                labelY = (from.Y + to.Y) / 2 + normalY * offset;
            }
            if (labels.Length > 0) group.Add(Label(labelX, labelY, labels));
        }
        return group;
    }

    /// <summary>Where the line from a box's centre towards a point leaves the box (or the history circle).</summary>
    private static (double X, double Y) Border(StateBox box, double towardX, double towardY)
    {
        var (dx, dy) = (towardX - box.CenterX, towardY - box.CenterY);
        if (dx == 0 && dy == 0) return (box.CenterX, box.Y);
        if (box.Node.Kind == StateKind.History)
        {
            var length = Math.Sqrt(dx * dx + dy * dy);
            return (box.CenterX + dx / length * box.Width / 2, box.CenterY + dy / length * box.Height / 2);
        }
        var scale = Math.Min(dx == 0 ? double.MaxValue : box.Width / 2 / Math.Abs(dx), dy == 0 ? double.MaxValue : box.Height / 2 / Math.Abs(dy));
        return (box.CenterX + dx * scale, box.CenterY + dy * scale);
    }

    private XElement Label(double centerX, double centerY, string[] lines)
    {
        var width = LabelWidth(lines);
        var height = LabelHeight(lines);
        var top = centerY - height / 2;
        var label = new XElement(Svg + "g", new XAttribute("class", "xsn-transition"),
            new XElement(Svg + "rect", new XAttribute("class", "xsn-label-bg"),
                new XAttribute("x", Number(centerX - width / 2)), new XAttribute("y", Number(top)),
                new XAttribute("width", Number(width)), new XAttribute("height", Number(height)), new XAttribute("rx", "3")));
        for (var i = 0; i < lines.Length; i++) label.Add(Text("xsn-label", centerX, top + 13 + i * LabelLine, lines[i], middle: true));
        return label;
    }

    // Labels are set at 11px, the layout measures 12px glyphs.
    private static double LabelWidth(string[] lines) => lines.Length == 0 ? 0 : lines.Max(DiagramLayout.TextWidth) * 11 / 12 + 8;

    private static double LabelHeight(string[] lines) => lines.Length * LabelLine + 4;

    private static XElement Rect(string cssClass, double x, double y, double width, double height, double radius) =>
        new(Svg + "rect", new XAttribute("class", cssClass),
            new XAttribute("x", Number(x)), new XAttribute("y", Number(y)),
            new XAttribute("width", Number(width)), new XAttribute("height", Number(height)), new XAttribute("rx", Number(radius)));

    private static XElement Text(string cssClass, double x, double y, string text, bool middle)
    {
        var element = new XElement(Svg + "text", new XAttribute("class", cssClass), new XAttribute("x", Number(x)), new XAttribute("y", Number(y)), text);
        if (middle) element.Add(new XAttribute("text-anchor", "middle"));
        return element;
    }

    private static XElement Path(string data) =>
        new(Svg + "path", new XAttribute("class", "xsn-edge"), new XAttribute("d", data), new XAttribute("marker-end", "url(#xsn-arrow)"));

    private static string Number(double value) => Math.Round(value, 1).ToString(CultureInfo.InvariantCulture);
}
