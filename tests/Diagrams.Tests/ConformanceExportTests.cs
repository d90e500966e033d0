using System.Xml.Linq;
using XStateNet.Actors.Statecharts;
using XStateNet.Actors.Tests.Statecharts;

namespace XStateNet.Actors.Diagrams.Tests;

/// <summary>Every chart of the SCION conformance cases exports to both formats; the SVG parses and has every state.</summary>
public sealed class ConformanceExportTests
{
    [SkippableTheory]
    [MemberData(nameof(ConformanceCases.All), MemberType = typeof(ConformanceCases))]
    public void Every_conformance_chart_exports_to_Mermaid_and_to_SVG(string name)
    {
        Skip.If(name == ConformanceCases.MissingMarker, ConformanceCases.MissingReason);
        var chart = Statechart.Parse(ConformanceCases.Load(name).GetProperty("machine").GetRawText());

        var mermaid = StatechartDiagram.ToMermaid(chart);
        Assert.StartsWith("stateDiagram-v2\n", mermaid);

        var initial = ConformanceCases.Load(name).GetProperty("initial").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var svg = XElement.Parse(StatechartDiagram.ToSvg(chart, initial));
        var paths = svg.Descendants().Select(e => e.Attribute("data-path")?.Value).Where(p => p is not null).ToHashSet();
        Assert.All(chart.States, state => Assert.Contains(state.Path, paths));
    }
}
