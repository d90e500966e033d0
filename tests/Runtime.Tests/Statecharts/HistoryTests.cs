namespace XStateNet.Actors.Tests.Statecharts;

public class HistoryTests
{
    private const string Chart = """
        { "initial": "work", "states": {
            "work": { "initial": "a", "on": { "PAUSE": "paused" }, "states": {
              "shallow": { "type": "history" },
              "deep": { "type": "history", "history": "deep" },
              "a": { "on": { "NEXT": "b" } },
              "b": { "initial": "b1", "on": { "NEXT": "a" }, "states": { "b1": { "on": { "IN": "b2" } }, "b2": {} } } } },
            "paused": { "on": { "SHALLOW": "work.shallow", "DEEP": "work.deep", "PLAIN": "work" } } } }
        """;

    [Fact]
    public void Shallow_history_restores_the_child_but_enters_its_default_below()
    {
        var run = new ChartRun(Chart).Started();
        run.Run.Send("NEXT");
        run.Run.Send("IN");
        Assert.Equal("work.b.b2", run.States);

        run.Run.Send("PAUSE");
        run.Run.Send("SHALLOW");
        Assert.Equal("work.b.b1", run.States);
    }

    [Fact]
    public void Deep_history_restores_the_whole_configuration()
    {
        var run = new ChartRun(Chart).Started();
        run.Run.Send("NEXT");
        run.Run.Send("IN");
        run.Run.Send("PAUSE");
        run.Run.Send("DEEP");
        Assert.Equal("work.b.b2", run.States);
    }

    [Fact]
    public void History_with_nothing_remembered_takes_its_default_then_the_parents_initial()
    {
        var run = new ChartRun("""
            { "initial": "off", "states": {
                "off": { "on": { "WITH_DEFAULT": "on.h1", "WITHOUT_DEFAULT": "on.h2" } },
                "on": { "initial": "x", "on": { "OFF": "off" }, "states": {
                  "h1": { "type": "history", "target": "y" }, "h2": { "type": "history" }, "x": {}, "y": {} } } } }
            """).Started();

        run.Run.Send("WITH_DEFAULT");
        Assert.Equal("on.y", run.States);

        var fresh = new ChartRun("""
            { "initial": "off", "states": {
                "off": { "on": { "GO": "on.h" } },
                "on": { "initial": "x", "states": { "h": { "type": "history" }, "x": {}, "y": {} } } } }
            """).Started();
        fresh.Run.Send("GO");
        Assert.Equal("on.x", fresh.States);
    }

    [Fact]
    public void Plain_reentry_ignores_history()
    {
        var run = new ChartRun(Chart).Started();
        run.Run.Send("NEXT");
        run.Run.Send("PAUSE");
        run.Run.Send("PLAIN");
        Assert.Equal("work.a", run.States);
    }
}
