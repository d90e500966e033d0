using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Tests.Statecharts;

/// <summary>A compiled chart's structure is readable through the public API and cannot be changed through it.</summary>
public class ChartStructureTests
{
    private const string Chart = """
        { "id": "door", "initial": "closed", "states": {
            "closed": { "on": { "OPEN": "open" } },
            "open": { "initial": "ajar", "states": { "ajar": {}, "wide": {}, "last": { "type": "history" } } },
            "gone": { "type": "final" } } }
        """;

    [Fact]
    public void States_and_children_are_read_in_document_order()
    {
        var chart = Statechart.Parse(Chart);

        Assert.Equal(["", "closed", "open", "open.ajar", "open.wide", "open.last", "gone"], chart.States.Select(s => s.Path));
        Assert.Equal(["closed", "open", "gone"], chart.Root.Children.Select(c => c.Key));
        var open = chart.FindByPath("open")!;
        Assert.Equal(StateKind.Compound, open.Kind);
        Assert.Equal(["ajar", "wide", "last"], open.Children.Select(c => c.Key));
        Assert.Same(open, open.Children[0].Parent);
        Assert.Equal(HistoryDepth.Shallow, chart.FindByPath("open.last")!.History);
        Assert.Equal(StateKind.Final, chart.FindById("door.gone")!.Kind);
    }

    [Fact]
    public void Neither_the_states_nor_a_states_children_can_be_changed_by_a_cast()
    {
        var chart = Statechart.Parse(Chart);

        Assert.False(chart.States is StateNode[]);
        Assert.True(chart.States is not IList<StateNode> { IsReadOnly: false });
        Assert.False(chart.Root.Children is List<StateNode>);
        Assert.True(chart.Root.Children is not IList<StateNode> { IsReadOnly: false });
        Assert.Throws<NotSupportedException>(() => ((IList<StateNode>)chart.Root.Children).Add(chart.Root));
    }
}
