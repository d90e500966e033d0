using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Tests.Statecharts;

public class ContextAndQueueTests
{
    [Fact]
    public void Context_is_seeded_from_json_and_actions_and_guards_share_it()
    {
        var chart = Statechart.Parse("""
            { "context": { "count": 0, "name": "pump", "limits": { "max": 2 }, "tags": ["a"] },
              "initial": "idle", "states": {
                "idle": { "on": { "TICK": [ { "target": "full", "guard": "atMax" }, { "actions": "increment" } ] } },
                "full": {} } }
            """);
        var run = new StatechartInterpreter(chart,
            new Dictionary<string, Action<StatechartActionContext>> { ["increment"] = c => c.Context["count"] = (long)c.Context["count"]! + 1 },
            new Dictionary<string, Func<StatechartActionContext, bool>>
            {
                ["atMax"] = c => (long)c.Context["count"]! >= (long)((IDictionary<string, object?>)c.Context["limits"]!)["max"]!,
            });
        run.Start();

        run.Send("TICK");
        run.Send("TICK");
        Assert.Equal("idle", Assert.Single(run.ActiveStates));
        run.Send("TICK");
        Assert.Equal("full", Assert.Single(run.ActiveStates));
        Assert.Equal(2L, run.Context["count"]);
        Assert.Equal("pump", run.Context["name"]);
        Assert.Equal(new List<object?> { "a" }, run.Context["tags"]);
    }

    [Fact]
    public void Each_interpreter_gets_its_own_copy_of_the_context()
    {
        var chart = Statechart.Parse("""{ "context": { "n": 1 }, "initial": "a", "states": { "a": {} } }""");
        var first = new StatechartInterpreter(chart);
        var second = new StatechartInterpreter(chart);
        first.Context["n"] = 99L;
        Assert.Equal(1L, second.Context["n"]);
    }

    [Fact]
    public void Event_name_and_data_reach_actions_and_guards()
    {
        var seen = new List<string>();
        var chart = Statechart.Parse("""
            { "initial": "a", "states": { "a": { "on": { "SAVE": { "target": "b", "guard": "hasPayload", "actions": "store" } } }, "b": {} } }
            """);
        var run = new StatechartInterpreter(chart,
            new Dictionary<string, Action<StatechartActionContext>> { ["store"] = c => seen.Add($"{c.Name}:{c.EventName}:{c.EventData}") },
            new Dictionary<string, Func<StatechartActionContext, bool>> { ["hasPayload"] = c => { seen.Add($"{c.Name}:{c.EventName}"); return c.EventData is not null; } });
        run.Start();

        run.Send("SAVE");
        run.Send("SAVE", "file.txt");
        Assert.Equal(new[] { "hasPayload:SAVE", "hasPayload:SAVE", "store:SAVE:file.txt" }, seen);
    }

    [Fact]
    public void An_event_sent_from_inside_a_step_is_queued_until_the_step_completes()
    {
        var log = new List<string>();
        StatechartInterpreter? run = null;
        var chart = Statechart.Parse("""
            { "initial": "a", "states": {
                "a": { "on": { "GO": { "target": "b", "actions": "sendNext" } } },
                "b": { "entry": "enterB", "on": { "NEXT": "c" } },
                "c": { "entry": "enterC" } } }
            """);
        run = new StatechartInterpreter(chart, new Dictionary<string, Action<StatechartActionContext>>
        {
            ["sendNext"] = c =>
            {
                c.Send("NEXT");
                log.Add($"sent while in [{string.Join(",", run!.ActiveStates)}]");
            },
            ["enterB"] = _ => log.Add("enterB"),
            ["enterC"] = _ => log.Add("enterC"),
        });
        run.Start();

        run.Send("GO");
        Assert.Equal(new[] { "sent while in []", "enterB", "enterC" }, log);
        Assert.Equal("c", Assert.Single(run.ActiveStates));
    }

    [Fact]
    public void Send_before_start_is_a_clear_error()
    {
        var run = new StatechartInterpreter(Statechart.Parse("""{ "initial": "a", "states": { "a": {} } }"""));
        var error = Assert.Throws<InvalidOperationException>(() => run.Send("GO"));
        Assert.Contains("Start()", error.Message);
    }
}
