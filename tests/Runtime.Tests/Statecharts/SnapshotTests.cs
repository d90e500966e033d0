using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Tests.Statecharts;

/// <summary>What a snapshot carries across a restore, focused case by case.</summary>
public class SnapshotTests
{
    [Fact]
    public void Entry_actions_are_not_run_again_and_exits_run_from_the_restored_configuration()
    {
        var run = new SnapshotRun("""
            { "id": "m", "initial": "outer", "entry": "enterMachine", "states": {
                "outer": { "entry": "enterOuter", "exit": "exitOuter", "initial": "inner", "states": {
                  "inner": { "entry": "enterInner", "exit": "exitInner", "on": { "GO": "#m.other" } } } },
                "other": { "entry": "enterOther" } } }
            """).Started();
        Assert.Equal("enterMachine enterOuter enterInner", run.TakeLog());

        run.Restore();
        Assert.Equal("", run.TakeLog());
        Assert.True(run.Run.IsStarted);
        Assert.Equal("outer.inner", run.States);
        Assert.True(run.Run.Matches("outer"));

        run.Run.Send("GO");
        Assert.Equal("exitInner exitOuter enterOther", run.TakeLog());
        Assert.Equal("other", run.States);
    }

    private const string HistoryChart = """
        { "id": "h", "initial": "work", "states": {
            "work": { "initial": "a", "on": { "PAUSE": "paused" }, "states": {
              "shallow": { "type": "history" },
              "deep": { "type": "history", "history": "deep" },
              "a": { "on": { "NEXT": "b" } },
              "b": { "initial": "b1", "on": { "NEXT": "a" }, "states": { "b1": { "on": { "IN": "b2" } }, "b2": {} } } } },
            "paused": { "on": { "SHALLOW": "work.shallow", "DEEP": "work.deep" } } } }
        """;

    [Fact]
    public void History_values_survive_a_restore()
    {
        var run = new SnapshotRun(HistoryChart).Started();
        run.Run.Send("NEXT");
        run.Run.Send("IN");
        run.Run.Send("PAUSE");

        var snapshot = run.Run.GetSnapshot();
        Assert.Equal(["work.b"], snapshot.History["work.shallow"]);
        Assert.Equal(["work.b.b2"], snapshot.History["work.deep"]);

        run.Restore();
        run.Run.Send("DEEP");
        Assert.Equal("work.b.b2", run.States);

        run.Run.Send("PAUSE");
        run.Restore();
        run.Run.Send("SHALLOW");
        Assert.Equal("work.b.b1", run.States);
    }

    [Fact]
    public void A_delayed_event_fires_at_its_remaining_time_on_the_new_clock_and_only_once()
    {
        var run = new SnapshotRun("""
            { "id": "light", "initial": "green", "states": {
                "green": { "entry": "enterGreen", "after": { "1000": { "target": "yellow", "actions": "timedOut" } } },
                "yellow": { "on": { "BACK": "green" } } } }
            """).Started();
        run.TakeLog();
        run.Clock.Advance(600);

        var snapshot = run.Run.GetSnapshot();
        var timer = Assert.Single(snapshot.Delayed);
        Assert.Equal(new StatechartSnapshotTimer("green", "xstate.after.1000.light.green", TimeSpan.FromMilliseconds(400)), timer);

        run.Restore();
        Assert.Equal(1, run.Clock.PendingCount);
        run.Clock.Advance(399);
        Assert.Equal("green", run.States);
        run.Clock.Advance(1);
        Assert.Equal("yellow", run.States);
        Assert.Equal("timedOut", run.TakeLog());
        run.Clock.Advance(5000);
        Assert.Equal("", run.TakeLog());

        // Entering the state again after a restore starts a full timer, as ever.
        run.Run.Send("BACK");
        run.Clock.Advance(999);
        Assert.Equal("green", run.States);
        run.Clock.Advance(1);
        Assert.Equal("yellow", run.States);
    }

    [Fact]
    public void Timers_due_at_the_same_moment_fire_in_the_order_they_were_started()
    {
        // b's timer starts at 0 and a2's at 500, both due at 1000; document order would put a2 first.
        const string json = """
            { "id": "p", "type": "parallel", "states": {
                "r1": { "initial": "a1", "states": {
                  "a1": { "on": { "GO": "a2" } },
                  "a2": { "after": { "500": { "target": "a3", "actions": "fromA" } } }, "a3": {} } },
                "r2": { "initial": "b1", "states": {
                  "b1": { "after": { "1000": { "target": "b2", "actions": "fromB" } } }, "b2": {} } } } }
            """;
        var straight = new SnapshotRun(json).Started();
        straight.Clock.Advance(500);
        straight.Run.Send("GO");
        straight.Clock.Advance(500);
        Assert.Equal("fromB fromA", straight.TakeLog());

        var restored = new SnapshotRun(json).Started();
        restored.Clock.Advance(500);
        restored.Run.Send("GO");
        restored.Restore();
        Assert.Equal(["r2.b1", "r1.a2"], restored.Run.GetSnapshot().Delayed.Select(t => t.State));
        restored.Clock.Advance(500);
        Assert.Equal("fromB fromA", restored.TakeLog());
        Assert.Equal(straight.States, restored.States);
    }

    [Fact]
    public void A_scheduler_of_the_hosts_own_is_asked_for_the_remaining_time()
    {
        var run = new SnapshotRun("""
            { "id": "own", "initial": "a", "states": { "a": { "after": { "1000": "b" } }, "b": {} } }
            """).Started();
        run.Clock.Advance(250);
        var scheduler = new RecordingScheduler();
        var restored = StatechartInterpreter.FromSnapshot(run.Chart, StatechartSnapshot.FromJson(run.Run.GetSnapshot().ToJson()),
            options: new StatechartOptions { Scheduler = scheduler });

        var (delay, callback) = Assert.Single(scheduler.Scheduled);
        Assert.Equal(TimeSpan.FromMilliseconds(750), delay);
        callback();
        Assert.Equal(["b"], restored.ActiveStates);
    }

    /// <summary>A scheduler that only records, and keeps the interface's default clock (as an actor's scheduler does).</summary>
    private sealed class RecordingScheduler : IStatechartScheduler
    {
        public List<(TimeSpan Delay, Action Callback)> Scheduled { get; } = new();

        public IDisposable Schedule(TimeSpan delay, Action callback)
        {
            Scheduled.Add((delay, callback));
            return new Nothing();
        }

        private sealed class Nothing : IDisposable
        {
            public void Dispose() { }
        }
    }

    [Fact]
    public void Named_delays_are_restored_at_their_remaining_time()
    {
        var run = new SnapshotRun("""
            { "id": "n", "initial": "a", "states": { "a": { "after": { "SHORT": "b" } }, "b": {} } }
            """, delays: new Dictionary<string, TimeSpan> { ["SHORT"] = TimeSpan.FromMilliseconds(100) }).Started();
        run.Clock.Advance(30);
        run.Restore();
        run.Clock.Advance(69);
        Assert.Equal("a", run.States);
        run.Clock.Advance(1);
        Assert.Equal("b", run.States);
    }

    private const string SpinChart = """
        { "id": "spin", "initial": "idle", "states": {
            "idle": { "on": { "GO": { "target": "loop", "actions": "queueTwo" } } },
            "loop": {
              "always": { "guard": "spinning", "target": "loop" },
              "on": { "X": { "actions": "gotX" }, "Y": { "actions": "gotY" }, "error.execution": { "actions": "gotError" }, "Z": "end" } },
            "end": { "type": "final" } } }
        """;

    /// <summary>
    /// Events stay queued outside a step only after a step failed (here eventless transitions that never settle):
    /// the queue keeps them for the next Send, and so must a snapshot.
    /// </summary>
    private static SnapshotRun SpinRun(bool[] spinning, List<object?> seen, Func<object?> xData)
    {
        var run = new SnapshotRun(SpinChart,
            guards: new Dictionary<string, Func<StatechartActionContext, bool>> { ["spinning"] = _ => spinning[0] },
            extraActions: new Dictionary<string, Action<StatechartActionContext>>
            {
                ["queueTwo"] = ctx =>
                {
                    ctx.Send("X", xData());
                    ctx.Send("Y");
                },
                ["gotX"] = ctx => seen.Add(ctx.EventData),
                ["gotError"] = ctx => seen.Add(ctx.EventData),
            },
            maxEventless: 3).Started();
        Assert.Throws<StatechartRuntimeException>(() => run.Run.Send("GO"));
        spinning[0] = false;
        return run;
    }

    [Fact]
    public void Queued_events_and_their_data_survive_in_order()
    {
        var spinning = new[] { true };
        var seen = new List<object?>();
        var run = SpinRun(spinning, seen, () => new Dictionary<string, object?> { ["n"] = 1L, ["tags"] = new List<object?> { "a", 2.5 } });
        var snapshot = run.Run.GetSnapshot();
        Assert.Equal(["X", "Y"], snapshot.Queued.Select(e => e.Name));
        run.TakeLog();

        run.Restore();
        Assert.Equal("", run.TakeLog());
        run.Run.Send("Z");
        Assert.Equal("gotX gotY", run.TakeLog());
        Assert.Equal("end", run.States);
        var data = Assert.IsType<Dictionary<string, object?>>(Assert.Single(seen));
        Assert.Equal(1L, data["n"]);
        Assert.Equal(new List<object?> { "a", 2.5 }, data["tags"]);
    }

    [Fact]
    public void A_queued_error_execution_keeps_its_fields()
    {
        var spinning = new[] { true };
        var seen = new List<object?>();
        var run = SpinRun(spinning, seen, () => throw new InvalidOperationException("no data today"));
        // The throw ends the action's block, so Y is never sent.
        Assert.Equal(["error.execution"], run.Run.GetSnapshot().Queued.Select(e => e.Name));

        run.Restore();
        run.Run.Send("Z");
        var error = Assert.IsType<StatechartExecutionError>(Assert.Single(seen));
        Assert.Equal(("queueTwo", false, "GO"), (error.Name, error.IsGuard, error.EventName));
        var restored = Assert.IsType<RestoredExecutionException>(error.Exception);
        Assert.Equal(typeof(InvalidOperationException).FullName, restored.OriginalType);
        Assert.Equal("no data today", restored.Message);
    }

    [Fact]
    public void A_queued_event_whose_data_cannot_be_carried_is_refused_by_name()
    {
        var spinning = new[] { true };
        var run = SpinRun(spinning, new List<object?>(), () => new Uri("http://example.com"));
        var e = Assert.Throws<StatechartSnapshotException>(() => run.Run.GetSnapshot());
        Assert.Contains("queue[0] (event 'X').data is a System.Uri", e.Message);
    }

    [Fact]
    public void The_done_flag_survives_and_a_done_machine_stays_done()
    {
        var run = new SnapshotRun("""
            { "id": "d", "initial": "a", "states": { "a": { "on": { "FINISH": "over" } }, "over": { "type": "final", "entry": "enterOver" } } }
            """).Started();
        run.Run.Send("FINISH");
        Assert.True(run.Run.IsDone);
        run.TakeLog();

        var json = run.Restore();
        Assert.Contains("\"done\":true", json);
        Assert.True(run.Run.IsDone);
        Assert.Equal("over", run.States);
        run.Run.Send("FINISH");
        Assert.Equal("", run.TakeLog());

        var notDone = new SnapshotRun("""{ "id": "d", "initial": "a", "states": { "a": {} } }""").Started();
        notDone.Restore();
        Assert.False(notDone.Run.IsDone);
    }

    [Fact]
    public void Context_values_round_trip_with_their_types()
    {
        var run = new SnapshotRun("""
            { "id": "c", "initial": "a", "context": {
                "count": 3, "ratio": 1.0, "half": 0.5, "big": 1e300, "name": "x", "on": true, "none": null,
                "items": [1, "two", [3.5], { "deep": false }], "nested": { "list": [] } },
              "states": { "a": { "on": { "SET": { "actions": "set" } } } } }
            """, extraActions: new Dictionary<string, Action<StatechartActionContext>>
        {
            ["set"] = ctx =>
            {
                ctx.Context["count"] = (long)ctx.Context["count"]! + 1;
                ctx.Context["whole"] = 2.0;
                ctx.Context["negativeZero"] = -0.0;
                ctx.Context["extreme"] = long.MinValue;
                ctx.Context["added"] = new Dictionary<string, object?> { ["odd key.with dots"] = new List<object?> { null } };
            },
        }).Started();
        run.Run.Send("SET");
        var before = run.Run.Context.ToDictionary();

        run.Restore();
        var after = run.Run.Context;
        Assert.Equal(before.Keys, after.Keys);
        foreach (var (key, value) in before)
        {
            AssertSameValue(value, after[key], key);
        }
        Assert.Equal(double.NegativeZero, (double)after["negativeZero"]!);
        Assert.True(double.IsNegative((double)after["negativeZero"]!));

        // The restored context is the interpreter's own: changing it leaves the snapshot's copy alone.
        var snapshot = run.Run.GetSnapshot();
        run.Run.Context["count"] = 100L;
        ((List<object?>)run.Run.Context["items"]!).Add("more");
        Assert.Equal(4L, snapshot.Context["count"]);
        Assert.Equal(4, ((List<object?>)snapshot.Context["items"]!).Count);
    }

    private static void AssertSameValue(object? expected, object? actual, string where)
    {
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }
        Assert.True(actual is not null, $"{where}: expected {expected}, got null");
        Assert.True(expected.GetType() == actual!.GetType(), $"{where}: expected a {expected.GetType()}, got a {actual.GetType()}");
        switch (expected)
        {
            case List<object?> list:
                var other = (List<object?>)actual;
                Assert.Equal(list.Count, other.Count);
                for (var i = 0; i < list.Count; i++) AssertSameValue(list[i], other[i], $"{where}[{i}]");
                break;
            case Dictionary<string, object?> map:
                var otherMap = (Dictionary<string, object?>)actual;
                Assert.Equal(map.Keys, otherMap.Keys);
                foreach (var (key, value) in map) AssertSameValue(value, otherMap[key], $"{where}.{key}");
                break;
            default:
                Assert.Equal(expected, actual);
                break;
        }
    }

    [Fact]
    public void A_snapshot_is_refused_from_an_action_or_before_start()
    {
        InvalidOperationException? inside = null;
        var run = new SnapshotRun("""{ "id": "s", "initial": "a", "states": { "a": { "on": { "GO": { "actions": "peek" } } } } }""",
            extraActions: new Dictionary<string, Action<StatechartActionContext>>
            {
                ["peek"] = ctx => inside = Assert.Throws<InvalidOperationException>(() => ctx.Interpreter.GetSnapshot()),
            });
        var early = Assert.Throws<InvalidOperationException>(() => run.Run.GetSnapshot());
        Assert.Contains("Start()", early.Message);
        run.Started();
        run.Run.Send("GO");
        Assert.NotNull(inside);
        Assert.Contains("while a step is running", inside!.Message);
    }
}
