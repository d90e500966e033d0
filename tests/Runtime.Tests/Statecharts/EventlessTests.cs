using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Tests.Statecharts;

public class EventlessTests
{
    [Fact]
    public void Always_transitions_run_to_stability_in_one_step()
    {
        var count = 0;
        var run = new ChartRun("""
            { "initial": "start", "context": { "n": 0 }, "states": {
                "start": { "on": { "GO": "counting" } },
                "counting": { "entry": "increment", "always": [ { "target": "done", "guard": "reached" }, { "target": "again" } ] },
                "again": { "always": "counting" },
                "done": {} } }
            """,
            guards: new Dictionary<string, Func<StatechartActionContext, bool>> { ["reached"] = _ => count >= 3 },
            extraActions: new Dictionary<string, Action<StatechartActionContext>> { ["increment"] = _ => count++ }).Started();

        run.Run.Send("GO");
        Assert.Equal("done", run.States);
        Assert.Equal(3, count);
    }

    [Fact]
    public void V4_empty_event_key_is_eventless()
    {
        var run = new ChartRun("""{ "initial": "a", "states": { "a": { "on": { "": "b" } }, "b": {} } }""").Started();
        Assert.Equal("b", run.States);
    }

    [Fact]
    public void A_loop_that_never_settles_raises_a_clear_error_instead_of_spinning()
    {
        var chart = Statechart.Parse("""
            { "initial": "a", "states": { "a": { "on": { "GO": "ping" } }, "ping": { "always": "pong" }, "pong": { "always": "ping" } } }
            """);
        var run = new StatechartInterpreter(chart, options: new StatechartOptions { MaxEventlessMicrosteps = 50 });
        run.Start();

        var error = Assert.Throws<StatechartRuntimeException>(() => run.Send("GO"));
        Assert.Contains("did not settle after 50 microsteps", error.Message);
        Assert.Contains("$.states.", error.Message);
        Assert.Single(run.ActiveStates); // stopped at a consistent configuration
    }

    [Fact]
    public void Events_left_queued_by_a_failed_step_keep_their_turn()
    {
        var spin = true;
        var handled = new List<string>();
        var chart = Statechart.Parse("""
            { "initial": "a", "states": {
                "a": { "on": { "GO": { "target": "loop", "actions": "queueX" } } },
                "loop": { "always": { "target": "loop2", "guard": "spin" }, "on": { "X": { "actions": "record" }, "Y": { "actions": "record" } } },
                "loop2": { "always": { "target": "loop", "guard": "spin" } } } }
            """);
        var run = new StatechartInterpreter(chart,
            new Dictionary<string, Action<StatechartActionContext>> { ["queueX"] = c => c.Send("X"), ["record"] = c => handled.Add(c.EventName) },
            new Dictionary<string, Func<StatechartActionContext, bool>> { ["spin"] = _ => spin },
            new StatechartOptions { MaxEventlessMicrosteps = 10 });
        run.Start();

        Assert.Throws<StatechartRuntimeException>(() => run.Send("GO"));
        spin = false;
        run.Send("Y");
        Assert.Equal(new[] { "X", "Y" }, handled);
    }
}
