namespace XStateNet.Actors.Tests.Statecharts;

public class DelayedTransitionTests
{
    [Fact]
    public void After_fires_when_virtual_time_reaches_the_delay()
    {
        var run = new ChartRun("""
            { "initial": "green", "states": {
                "green": { "after": { "1000": "yellow" } },
                "yellow": { "after": { "500": { "target": "red", "actions": "log" } } },
                "red": {} } }
            """).Started();

        run.Clock.Advance(999);
        Assert.Equal("green", run.States);
        run.Clock.Advance(1);
        Assert.Equal("yellow", run.States);
        run.Clock.Advance(500);
        Assert.Equal("red", run.States);
        Assert.Equal("log", run.TakeLog());
    }

    [Fact]
    public void Leaving_the_state_cancels_its_timer()
    {
        var run = new ChartRun("""
            { "initial": "waiting", "states": {
                "waiting": { "after": { "1000": "timedOut" }, "on": { "ANSWER": "answered" } },
                "answered": { "on": { "AGAIN": "waiting" } }, "timedOut": {} } }
            """).Started();

        run.Clock.Advance(600);
        run.Run.Send("ANSWER");
        Assert.Equal(0, run.Clock.PendingCount);
        run.Run.Send("AGAIN");
        run.Clock.Advance(600); // the old timer would have fired here
        Assert.Equal("waiting", run.States);
        run.Clock.Advance(400);
        Assert.Equal("timedOut", run.States);
    }

    [Fact]
    public void Named_delays_come_from_the_options_and_v4_array_form_works()
    {
        var run = new ChartRun("""
            { "initial": "a", "states": {
                "a": { "after": { "SHORT": "b" } },
                "b": { "after": [ { "delay": 250, "target": "c" } ] },
                "c": {} } }
            """, delays: new Dictionary<string, TimeSpan> { ["SHORT"] = TimeSpan.FromMilliseconds(100) }).Started();

        run.Clock.Advance(100);
        Assert.Equal("b", run.States);
        run.Clock.Advance(250);
        Assert.Equal("c", run.States);
    }

    [Fact]
    public void The_first_of_several_delays_wins_and_the_rest_are_cancelled()
    {
        var run = new ChartRun("""
            { "initial": "a", "states": { "a": { "after": { "100": "fast", "200": "slow" } }, "fast": {}, "slow": {} } }
            """).Started();

        run.Clock.Advance(1000);
        Assert.Equal("fast", run.States);
        Assert.Equal(0, run.Clock.PendingCount);
    }
}
