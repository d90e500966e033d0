using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Tests.Statecharts;

public class TransitionTests
{
    [Fact]
    public void String_object_and_array_forms_select_the_first_enabled_candidate()
    {
        var guardValue = false;
        var run = new ChartRun("""
            { "initial": "a", "states": {
                "a": { "on": { "GO": [ { "target": "b", "guard": "allowed" }, { "target": "c", "cond": "never" }, "d" ] } },
                "b": {}, "c": {}, "d": { "on": { "BACK": { "target": "a" } } } } }
            """, new Dictionary<string, Func<StatechartActionContext, bool>>
        {
            ["allowed"] = _ => guardValue,
            ["never"] = _ => false,
        }).Started();

        run.Run.Send("GO");
        Assert.Equal("d", run.States);
        run.Run.Send("BACK");
        guardValue = true;
        run.Run.Send("GO");
        Assert.Equal("b", run.States);
    }

    [Fact]
    public void Targets_resolve_by_sibling_child_path_and_id()
    {
        var run = new ChartRun("""
            { "id": "m", "initial": "a", "states": {
                "a": { "on": { "TO_CHILD": ".inner.deep", "TO_SIBLING_PATH": "b.b2", "TO_ID": "#far" },
                       "initial": "a1", "states": {
                         "a1": {},
                         "inner": { "initial": "x", "states": { "x": {}, "deep": {} } } } },
                "b": { "initial": "b1", "states": { "b1": {}, "b2": { "id": "far" } },
                       "on": { "RESET": "a", "TO_ID_PATH": "#m.a.inner.deep" } } } }
            """).Started();

        run.Run.Send("TO_CHILD");
        Assert.Equal("a.inner.deep", run.States);
        run.Run.Send("TO_SIBLING_PATH");
        Assert.Equal("b.b2", run.States);
        run.Run.Send("RESET");
        run.Run.Send("TO_ID");
        Assert.Equal("b.b2", run.States);
        run.Run.Send("TO_ID_PATH");
        Assert.Equal("a.inner.deep", run.States);
    }

    [Fact]
    public void Several_targets_enter_parallel_regions_together()
    {
        var run = new ChartRun("""
            { "initial": "idle", "states": {
                "idle": { "on": { "GO": { "target": ["#left2", "#right2"] } } },
                "p": { "type": "parallel", "states": {
                  "left": { "initial": "left1", "states": { "left1": {}, "left2": { "id": "left2" } } },
                  "right": { "initial": "right1", "states": { "right1": {}, "right2": { "id": "right2" } } } } } } }
            """).Started();

        run.Run.Send("GO");
        Assert.Equal("p.left.left2 p.right.right2", run.States);
        Assert.True(run.Run.Matches("p"));
        Assert.True(run.Run.Matches("p.left"));
        Assert.False(run.Run.Matches("idle"));
    }

    [Fact]
    public void Targetless_transition_runs_actions_without_exit_or_entry()
    {
        var run = new ChartRun("""
            { "initial": "a", "states": {
                "a": { "entry": "enterA", "exit": "exitA", "on": { "PING": { "actions": ["pong", "pong2"] } } } } }
            """).Started();
        Assert.Equal("enterA", run.TakeLog());

        run.Run.Send("PING");
        Assert.Equal("pong pong2", run.TakeLog());
        Assert.Equal("a", run.States);
    }

    [Fact]
    public void External_self_transition_reenters_but_internal_one_does_not()
    {
        const string json = """
            { "initial": "s", "states": {
                "s": { "entry": "enterS", "exit": "exitS", "initial": "s1",
                       "states": { "s1": { "entry": "enterS1", "exit": "exitS1" }, "s2": { "id": "s2", "entry": "enterS2", "exit": "exitS2" } },
                       "on": {
                         "EXTERNAL": { "target": "#s2", "reenter": true },
                         "INTERNAL_V5": { "target": "#s2", "reenter": false },
                         "INTERNAL_V4": { "target": "#s2", "internal": true },
                         "DOT": ".s1",
                         "SELF": "s" } } } }
            """;
        var run = new ChartRun(json).Started();
        run.TakeLog();

        run.Run.Send("EXTERNAL");
        Assert.Equal("exitS1 exitS enterS enterS2", run.TakeLog());
        run.Run.Send("DOT"); // a '.child' target is internal by default, as in XState v4
        Assert.Equal("exitS2 enterS1", run.TakeLog());
        run.Run.Send("INTERNAL_V5");
        Assert.Equal("exitS1 enterS2", run.TakeLog());
        run.Run.Send("DOT");
        run.TakeLog();
        run.Run.Send("INTERNAL_V4");
        Assert.Equal("exitS1 enterS2", run.TakeLog());
        run.Run.Send("SELF"); // a sibling-style target naming the state itself: external, back to the initial child
        Assert.Equal("exitS2 exitS enterS enterS1", run.TakeLog());
        Assert.Equal("s.s1", run.States);
    }

    [Fact]
    public void Actions_run_in_scxml_order_exits_innermost_first_then_transition_then_entries_outermost_first()
    {
        var run = new ChartRun("""
            { "initial": "a", "states": {
                "a": { "entry": "enterA", "exit": "exitA", "initial": "a1", "states": {
                         "a1": { "entry": "enterA1", "exit": "exitA1", "on": { "GO": { "target": "#b1", "actions": ["t1", "t2"] } } } } },
                "b": { "entry": "enterB", "exit": "exitB", "initial": "b0", "states": {
                         "b0": {}, "b1": { "id": "b1", "entry": ["enterB1", "enterB1again"] } } } } }
            """).Started();
        Assert.Equal("enterA enterA1", run.TakeLog());

        run.Run.Send("GO");
        Assert.Equal("exitA1 exitA t1 t2 enterB enterB1 enterB1again", run.TakeLog());
    }

    [Fact]
    public void Wildcard_catches_what_no_exact_transition_handles_and_partial_wildcards_rank_first()
    {
        var run = new ChartRun("""
            { "initial": "a", "states": {
                "a": { "on": { "KNOWN": "known", "mouse.*": "mouse", "*": "any" } },
                "known": { "on": { "*": "a" } }, "mouse": { "on": { "*": "a" } }, "any": { "on": { "*": "a" } } } }
            """).Started();

        run.Run.Send("KNOWN");
        Assert.Equal("known", run.States);
        run.Run.Send("whatever");
        run.Run.Send("mouse.click");
        Assert.Equal("mouse", run.States);
        run.Run.Send("x");
        run.Run.Send("mouse");
        Assert.Equal("mouse", run.States);
        run.Run.Send("x");
        run.Run.Send("mousetrap");
        Assert.Equal("any", run.States);
    }

    [Fact]
    public void Inner_state_transition_wins_over_its_ancestors()
    {
        var run = new ChartRun("""
            { "initial": "outer", "states": {
                "outer": { "on": { "E": "other" }, "initial": "inner", "states": { "inner": { "on": { "E": "inner2" } }, "inner2": {} } },
                "other": {} } }
            """).Started();

        run.Run.Send("E");
        Assert.Equal("outer.inner2", run.States);
        run.Run.Send("E");
        Assert.Equal("other", run.States);
    }

    [Fact]
    public void Root_level_transitions_apply_from_any_state()
    {
        var run = new ChartRun("""
            { "initial": "a", "on": { "RESET": ".a" }, "states": { "a": { "on": { "GO": "b" } }, "b": {} } }
            """).Started();

        run.Run.Send("GO");
        Assert.Equal("b", run.States);
        run.Run.Send("RESET");
        Assert.Equal("a", run.States);
    }

    [Fact]
    public void Unhandled_events_change_nothing()
    {
        var run = new ChartRun("""{ "initial": "a", "states": { "a": { "on": { "GO": "b" } }, "b": {} } }""").Started();
        run.Run.Send("NOPE");
        Assert.Equal("a", run.States);
    }
}
