using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Diagrams;

/// <summary>
/// Draws a parsed <see cref="Statechart"/>: as Mermaid text (<c>stateDiagram-v2</c>, for Markdown, GitHub and
/// Mermaid's own tools) or as a self-contained SVG laid out here (for a page, a file, or the inspector, which
/// highlights the active states). Nested, parallel, history and final states, guards (<c>GO [canGo]</c>),
/// delayed transitions (<c>after 500ms</c>), <c>always</c> and <c>onDone</c> are all shown.
/// </summary>
/// <example>
/// <code>
/// var chart = Statechart.Parse(json);
/// File.WriteAllText("door.mmd", StatechartDiagram.ToMermaid(chart));
/// File.WriteAllText("door.svg", StatechartDiagram.ToSvg(chart, activeStates: ["closed"]));
/// </code>
/// </example>
public static class StatechartDiagram
{
    /// <summary>The CSS class the SVG gives the group of every active state (and of every ancestor of one).</summary>
    public const string ActiveStateClass = SvgWriter.ActiveClass;

    /// <summary>The chart as a Mermaid <c>stateDiagram-v2</c>, lines ending in <c>\n</c>.</summary>
    public static string ToMermaid(Statechart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return MermaidWriter.Write(chart);
    }

    /// <summary>
    /// The chart as an SVG document (no XML declaration, so it can be written to a file or put inline in HTML).
    /// Each state is a <c>g</c> element with <c>data-path</c> set to its dotted path (empty for the machine).
    /// </summary>
    /// <param name="chart">The chart to draw.</param>
    /// <param name="activeStates">
    /// Dotted paths of active states, e.g. <see cref="MachineSnapshot.ActiveStates"/>; they and their ancestors are
    /// highlighted (class <see cref="ActiveStateClass"/>). Null or empty highlights nothing.
    /// </param>
    /// <exception cref="ArgumentException">An active state's path is not a state of the chart (all such paths are named).</exception>
    public static string ToSvg(Statechart chart, IReadOnlyCollection<string>? activeStates = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return SvgWriter.Write(chart, activeStates);
    }
}
