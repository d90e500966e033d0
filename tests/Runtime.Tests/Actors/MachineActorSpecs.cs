using Akka.Actor;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Statecharts;
using Xunit.Abstractions;

namespace XStateNet.Actors.Tests.Actors;

public class MachineActorSpecs(ITestOutputHelper output) : TestKit(output: output)
{
    private const string Door = """
        { "initial": "closed", "context": { "opened": 0 }, "states": {
            "closed": { "on": { "OPEN": { "target": "open", "actions": "countOpen" } } },
            "open": { "on": { "CLOSE": "closed", "LOCK": "locked" } },
            "locked": { "type": "final" } } }
        """;

    private static readonly Dictionary<string, Action<OrchestratedContext>> DoorActions = new()
    {
        ["countOpen"] = ctx => ctx.Context["opened"] = (long)ctx.Context["opened"]! + 1,
    };

    [Fact]
    public async Task A_spawned_machine_lives_at_user_id_and_reports_its_snapshot()
    {
        var door = Sys.SpawnMachine("door", Door, DoorActions);
        Assert.Equal("/user/door", door.Path.ToStringWithoutAddress());

        door.Tell(new MachineEvent("OPEN"));
        var snapshot = await door.SnapshotAsync();
        Assert.Equal("door", snapshot.MachineId);
        Assert.Equal(new[] { "open" }, snapshot.ActiveStates);
        Assert.False(snapshot.IsDone);
        Assert.Equal(1L, snapshot.Context["opened"]);

        door.Tell(new MachineEvent("LOCK"));
        Assert.True((await door.SnapshotAsync()).IsDone);
    }

    [Fact]
    public async Task The_snapshot_context_is_a_copy()
    {
        var door = Sys.SpawnMachine("door-copy", Door, DoorActions);
        var first = await door.SnapshotAsync();
        ((IDictionary<string, object?>)first.Context)["opened"] = 42L;
        var second = await door.SnapshotAsync();
        Assert.Equal(0L, second.Context["opened"]);
    }

    [Fact]
    public void Missing_action_names_fail_at_spawn_listing_all_of_them()
    {
        var error = Assert.Throws<StatechartDefinitionException>(() => Sys.SpawnMachine("broken", """
            { "initial": "a", "states": { "a": { "entry": ["one", "two"], "on": { "GO": { "target": "a", "guard": "ok" } } } } }
            """, new Dictionary<string, Action<OrchestratedContext>>()));
        Assert.Equal(3, error.Errors.Count);
    }

    [Fact]
    public void Malformed_json_fails_at_spawn()
    {
        Assert.Throws<StatechartDefinitionException>(() => Sys.SpawnMachine("bad-json", "{ nope", DoorActions));
    }

    [Fact]
    public async Task Delayed_transitions_run_on_the_actors_timers()
    {
        var machine = Sys.SpawnMachine("timed", """
            { "initial": "waiting", "states": { "waiting": { "after": { "100": "done" } }, "done": { "entry": "report" } } }
            """, new Dictionary<string, Action<OrchestratedContext>> { ["report"] = _ => TestActor.Tell("entered done") });

        ExpectMsg("entered done", TimeSpan.FromSeconds(3));
        Assert.Equal(new[] { "done" }, (await machine.SnapshotAsync()).ActiveStates);
    }

    [Fact]
    public async Task A_throwing_action_raises_error_execution_is_logged_and_the_machine_keeps_running()
    {
        var machine = Sys.SpawnMachine("fragile", """
            { "initial": "idle", "states": {
                "idle": { "on": { "WORK": { "target": "working", "actions": "explode" } } },
                "working": { "on": { "error.execution": { "target": "recovering", "actions": "report" } } },
                "recovering": { "on": { "WORK": "working" } } } }
            """, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["explode"] = _ => throw new InvalidOperationException("boom"),
            ["report"] = ctx => TestActor.Tell(((StatechartExecutionError)ctx.Payload!).Name),
        });

        EventFilter.Exception<InvalidOperationException>(contains: "boom").ExpectOne(() => machine.Tell(new MachineEvent("WORK")));
        ExpectMsg("explode");
        Assert.Equal(new[] { "recovering" }, (await machine.SnapshotAsync()).ActiveStates);
        machine.Tell(new MachineEvent("WORK"));
        Assert.Equal(new[] { "working" }, (await machine.SnapshotAsync()).ActiveStates);
    }

    [Fact]
    public async Task Guards_see_the_orchestrated_context()
    {
        var machine = Sys.SpawnMachine("guarded", """
            { "initial": "a", "states": { "a": { "on": { "GO": { "target": "b", "guard": "fromBoss" } } }, "b": {} } }
            """,
            new Dictionary<string, Action<OrchestratedContext>>(),
            new Dictionary<string, Func<OrchestratedContext, bool>> { ["fromBoss"] = ctx => ctx.SourceMachineId == "boss" });

        machine.Tell(new MachineEvent("GO") { SourceMachineId = "intern" });
        Assert.Equal(new[] { "a" }, (await machine.SnapshotAsync()).ActiveStates);
        machine.Tell(new MachineEvent("GO") { SourceMachineId = "boss" });
        Assert.Equal(new[] { "b" }, (await machine.SnapshotAsync()).ActiveStates);
    }
}
