using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Tests.Statecharts;

public class FinalStateTests
{
    [Fact]
    public void Final_child_raises_done_state_taken_by_onDone_with_its_output()
    {
        object? doneData = null;
        var run = new ChartRun("""
            { "initial": "job", "states": {
                "job": { "id": "job", "initial": "working", "onDone": { "target": "finished", "actions": "capture" }, "states": {
                  "working": { "on": { "FINISH": "ok" } }, "ok": { "type": "final", "output": { "code": 7 } } } },
                "finished": {} } }
            """, extraActions: new Dictionary<string, Action<StatechartActionContext>> { ["capture"] = c => doneData = c.EventData }).Started();

        run.Run.Send("FINISH");
        Assert.Equal("finished", run.States);
        Assert.Equal(7L, ((IDictionary<string, object?>)doneData!)["code"]);
        Assert.False(run.Run.IsDone);
    }

    [Fact]
    public void A_parallel_state_is_done_when_every_region_is()
    {
        var run = new ChartRun("""
            { "initial": "p", "states": {
                "p": { "type": "parallel", "onDone": "after", "states": {
                  "left": { "initial": "l1", "states": { "l1": { "on": { "L": "l2" } }, "l2": { "type": "final" } } },
                  "right": { "initial": "r1", "states": { "r1": { "on": { "R": "r2" } }, "r2": { "type": "final" } } } } },
                "after": {} } }
            """).Started();

        run.Run.Send("L");
        Assert.Equal("p.left.l2 p.right.r1", run.States);
        run.Run.Send("R");
        Assert.Equal("after", run.States);
    }

    [Fact]
    public void Done_state_events_can_be_named_directly_in_on()
    {
        var run = new ChartRun("""
            { "id": "m", "initial": "a", "states": {
                "a": { "initial": "a1", "on": { "done.state.m.a": "b" }, "states": { "a1": { "on": { "GO": "a2" } }, "a2": { "type": "final" } } },
                "b": {} } }
            """).Started();

        run.Run.Send("GO");
        Assert.Equal("b", run.States);
    }

    [Fact]
    public void Top_level_final_state_ends_the_machine_and_later_events_are_ignored()
    {
        var run = new ChartRun("""
            { "initial": "a", "states": { "a": { "on": { "END": "end" } }, "end": { "type": "final", "entry": "bye" } } }
            """).Started();

        run.Run.Send("END");
        Assert.True(run.Run.IsDone);
        Assert.Equal("end", run.States);
        run.Run.Send("END");
        Assert.Equal("bye", run.TakeLog());
    }

    [Fact]
    public void A_root_parallel_machine_is_done_when_all_regions_are()
    {
        var run = new ChartRun("""
            { "type": "parallel", "states": {
                "x": { "initial": "x1", "states": { "x1": { "on": { "X": "x2" } }, "x2": { "type": "final" } } },
                "y": { "initial": "y1", "states": { "y1": { "on": { "Y": "y2" } }, "y2": { "type": "final" } } } } }
            """).Started();

        run.Run.Send("X");
        Assert.False(run.Run.IsDone);
        run.Run.Send("Y");
        Assert.True(run.Run.IsDone);
    }
}
