using Akka.Actor;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Statecharts;
using Xunit.Abstractions;

namespace XStateNet.Actors.Tests.Actors;

/// <summary>
/// What a tool in another process asks a machine (xstatenet inspect): its chart as the JSON it was parsed from, and
/// in its snapshot how many steps it took and what the last one handled, so a poller knows what it missed.
/// </summary>
public sealed class InspectionMessagesSpecs(ITestOutputHelper output) : TestKit(output: output)
{
    private const string Chart = """
        { "id": "lamp", "initial": "off", "states": { "off": { "on": { "TOGGLE": "on" } }, "on": { "on": { "TOGGLE": "off" } } } }
        """;

    [Fact]
    public async Task A_machine_answers_its_charts_json_which_parses_to_the_same_chart()
    {
        var lamp = Sys.SpawnMachine("lamp-chart", Chart, new Dictionary<string, Action<OrchestratedContext>>());

        var answer = await lamp.Ask<MachineChart>(GetMachineChart.Instance, TimeSpan.FromSeconds(10));

        Assert.Equal("lamp-chart", answer.MachineId);
        Assert.Equal(Chart, answer.Json);
        Assert.Equal(Statechart.Parse(Chart).Fingerprint, Statechart.Parse(answer.Json).Fingerprint);
    }

    [Fact]
    public async Task A_snapshot_counts_the_steps_and_names_what_the_last_one_handled()
    {
        var lamp = Sys.SpawnMachine("lamp-steps", Chart, new Dictionary<string, Action<OrchestratedContext>>());

        var started = await lamp.SnapshotAsync();
        Assert.Equal(1, started.Steps); // the start
        Assert.Equal("xstate.init", started.LastEvent);

        lamp.Tell(new MachineEvent("TOGGLE"));
        lamp.Tell(new MachineEvent("IGNORED")); // handled, no transition: still a step
        var after = await lamp.SnapshotAsync();
        Assert.Equal(3, after.Steps);
        Assert.Equal("IGNORED", after.LastEvent);
        Assert.Equal(["on"], after.ActiveStates);
    }
}
