using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Tests.Statecharts;

/// <summary>
/// The snapshot property where time matters: random events and clock advances on a chart with delayed
/// transitions in parallel regions, history and a counting context. Restored after every move, on a new clock,
/// the run must equal the uninterrupted one in configuration, actions run (in order) and context.
/// </summary>
public class SnapshotTimelineTests
{
    private const string Chart = """
        { "id": "plant", "type": "parallel", "context": { "ticks": 0, "log": [] }, "states": {
            "pump": { "initial": "running", "states": {
              "running": { "initial": "off", "on": { "PANIC": "alarm" }, "states": {
                "hist": { "type": "history", "history": "deep" },
                "off": { "entry": "enterOff", "on": { "START": "on" } },
                "on": { "initial": "slow", "exit": "exitOn", "on": { "STOP": "off" },
                  "after": { "700": { "target": "off", "actions": "autoOff" } },
                  "states": {
                    "slow": { "after": { "200": { "target": "fast", "actions": "tick" } } },
                    "fast": { "after": { "300": { "target": "slow", "actions": "tick" } } } } } } },
              "alarm": { "entry": "enterAlarm", "after": { "FLASH": { "target": "running.hist", "actions": "resume" } } } } },
            "valve": { "initial": "closed", "states": {
              "closed": { "on": { "OPEN": "open" }, "after": { "500": { "target": "open", "actions": "tick" } } },
              "open": { "on": { "CLOSE": "closed" }, "after": { "500": { "target": "closed", "actions": "tick" } } } } } } }
        """;

    private static readonly string[] Events = ["START", "STOP", "PANIC", "OPEN", "CLOSE"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Restoring_after_every_move_changes_nothing(int seed)
    {
        var straight = NewRun();
        var interrupted = NewRun();
        var random = new Random(seed);
        var timeline = new List<string>();
        for (var move = 0; move < 300; move++)
        {
            if (random.Next(3) == 0)
            {
                var name = Events[random.Next(Events.Length)];
                timeline.Add(name);
                straight.Run.Send(name);
                interrupted.Run.Send(name);
            }
            else
            {
                var ms = 50 * random.Next(0, 9); // in steps the delays share, so timers often fall due together
                timeline.Add($"+{ms}ms");
                straight.Clock.Advance(ms);
                interrupted.Clock.Advance(ms);
            }
            interrupted.Restore();
            var where = $"seed {seed}, after {string.Join(" ", timeline.TakeLast(6))} (move {move})";
            Assert.True(straight.States == interrupted.States, $"{where}: {straight.States} but restored {interrupted.States}");
            Assert.True(straight.TakeLog() == interrupted.TakeLog(), $"{where}: the actions differ");
            Assert.Equal(straight.Run.Context["ticks"], interrupted.Run.Context["ticks"]);
        }
        Assert.Equal(((List<object?>)straight.Run.Context["log"]!).Count, ((List<object?>)interrupted.Run.Context["log"]!).Count);
    }

    private static SnapshotRun NewRun() => new SnapshotRun(Chart,
        extraActions: new Dictionary<string, Action<StatechartActionContext>>
        {
            ["tick"] = ctx =>
            {
                ctx.Context["ticks"] = (long)ctx.Context["ticks"]! + 1;
                ((List<object?>)ctx.Context["log"]!).Add(ctx.EventName);
            },
        },
        delays: new Dictionary<string, TimeSpan> { ["FLASH"] = TimeSpan.FromMilliseconds(250) }).Started();
}
