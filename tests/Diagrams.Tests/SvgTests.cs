using System.Xml.Linq;
using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Diagrams.Tests;

/// <summary>The SVG is parsed back: well-formed, one group per state, the active ones (and their ancestors) highlighted.</summary>
public sealed class SvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private const string Player = """
        { "id": "player", "initial": "on", "states": {
            "on": { "type": "parallel", "on": { "POWER": "off" }, "states": {
                "audio": { "initial": "playing", "states": {
                    "playing": { "on": { "PAUSE": "paused" } }, "paused": { "on": { "PLAY": "playing" } },
                    "hist": { "type": "history", "history": "deep" } } },
                "screen": { "initial": "dim", "states": {
                    "dim": { "after": { "500": { "target": "bright", "guard": "daylight" } } }, "bright": { "on": { "TAP": { "actions": "log" } } } } } } },
            "off": { "on": { "POWER": "on.audio.hist" } },
            "gone": { "type": "final" } } }
        """;

    private static XElement Parse(string svg) => XElement.Parse(svg); // throws on anything not well-formed

    private static Dictionary<string, XElement> StateGroups(XElement svg) =>
        svg.Descendants(Svg + "g").Where(g => g.Attribute("data-path") is not null).ToDictionary(g => g.Attribute("data-path")!.Value);

    private static bool IsActive(XElement group) => group.Attribute("class")!.Value.Split(' ').Contains(StatechartDiagram.ActiveStateClass);

    [Fact]
    public void Every_state_is_a_group_with_its_name_and_nothing_is_highlighted_without_active_states()
    {
        var chart = Statechart.Parse(Player);
        var svg = Parse(StatechartDiagram.ToSvg(chart));

        Assert.Equal(Svg + "svg", svg.Name);
        var groups = StateGroups(svg);
        Assert.Equal(chart.States.Select(s => s.Path).Order(), groups.Keys.Order());
        foreach (var state in chart.States.Where(s => s.Kind != StateKind.History && s.Path.Length > 0))
            Assert.Contains(groups[state.Path].Elements(Svg + "text"), t => t.Value == state.Key);
        Assert.Contains(groups["on.audio.hist"].Elements(Svg + "text"), t => t.Value == "H*");
        Assert.DoesNotContain(groups.Values, IsActive);
    }

    [Fact]
    public void Active_states_and_their_ancestors_are_highlighted_and_no_other()
    {
        var chart = Statechart.Parse(Player);
        var groups = StateGroups(Parse(StatechartDiagram.ToSvg(chart, ["on.audio.paused", "on.screen.bright"])));

        var active = groups.Where(g => IsActive(g.Value)).Select(g => g.Key).Order().ToArray();
        Assert.Equal(new[] { "", "on", "on.audio", "on.audio.paused", "on.screen", "on.screen.bright" }, active);
    }

    [Fact]
    public void Labels_show_events_guards_delays_and_targetless_transitions()
    {
        var svg = Parse(StatechartDiagram.ToSvg(Statechart.Parse(Player)));
        var texts = svg.Descendants(Svg + "text").Select(t => t.Value).ToHashSet();

        Assert.Contains("PAUSE", texts);
        Assert.Contains("after 500ms [daylight]", texts);
        Assert.Contains("POWER", texts);
        Assert.Contains("TAP", texts); // targetless: written inside its state
        Assert.Equal(2, svg.Descendants(Svg + "line").Count(l => l.Attribute("class")?.Value == "xsn-separator") + 1); // two regions, one dashed line
        Assert.Equal(2, StateGroups(svg)["gone"].Elements(Svg + "rect").Count()); // a final state's double border
    }

    [Fact]
    public void Keys_and_labels_with_markup_characters_are_escaped()
    {
        var chart = Statechart.Parse("""
            { "id": "<m&>", "initial": "<a>", "states": { "<a>": { "on": { "\"go\" & </svg>": "b" } }, "b": {} } }
            """);
        var svg = Parse(StatechartDiagram.ToSvg(chart, ["<a>"]));

        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "\"go\" & </svg>");
        Assert.True(IsActive(StateGroups(svg)["<a>"]));
    }

    [Fact]
    public void An_active_state_the_chart_does_not_have_is_refused_and_named()
    {
        var chart = Statechart.Parse(Player);
        var error = Assert.Throws<ArgumentException>(() => StatechartDiagram.ToSvg(chart, ["on.audio.paused", "on.nowhere"]));
        Assert.Contains("'on.nowhere'", error.Message);
        Assert.DoesNotContain("'on.audio.paused'", error.Message);
    }
}
