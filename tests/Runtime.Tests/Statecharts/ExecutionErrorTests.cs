using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Tests.Statecharts;

public class ExecutionErrorTests
{
    [Fact]
    public void A_throwing_action_raises_error_execution_and_the_machine_stays_consistent()
    {
        var errors = new List<StatechartExecutionError>();
        var run = new ChartRun("""
            { "initial": "a", "states": {
                "a": { "on": { "GO": { "target": "b", "actions": ["boom", "skipped"] } } },
                "b": { "entry": "enterB", "on": { "error.execution": "failed" } },
                "failed": {} } }
            """,
            extraActions: new Dictionary<string, Action<StatechartActionContext>> { ["boom"] = _ => throw new InvalidOperationException("disk full") },
            onError: errors.Add).Started();

        run.Run.Send("GO");
        Assert.Equal("boom enterB", run.TakeLog()); // the rest of the failing block is skipped, the microstep completes
        Assert.Equal("failed", run.States);
        var error = Assert.Single(errors);
        Assert.Equal("boom", error.Name);
        Assert.False(error.IsGuard);
        Assert.Equal("GO", error.EventName);
        Assert.Equal("disk full", error.Exception.Message);
    }

    [Fact]
    public void A_throwing_guard_counts_as_false()
    {
        var errors = new List<StatechartExecutionError>();
        var run = new ChartRun("""
            { "initial": "a", "states": { "a": { "on": { "GO": [ { "target": "b", "guard": "broken" }, "c" ] } }, "b": {}, "c": {} } }
            """,
            guards: new Dictionary<string, Func<StatechartActionContext, bool>> { ["broken"] = _ => throw new FormatException() },
            onError: errors.Add).Started();

        run.Run.Send("GO");
        Assert.Equal("c", run.States);
        Assert.True(Assert.Single(errors).IsGuard);
    }
}
