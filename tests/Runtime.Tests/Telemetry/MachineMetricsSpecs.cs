using Akka.Actor;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Telemetry;
using XStateNet.Actors.Transport.Contract;
using Xunit.Abstractions;

namespace XStateNet.Actors.Tests.Telemetry;

/// <summary>
/// The machines' meter, read with a <see cref="System.Diagnostics.Metrics.MeterListener"/>: events handled,
/// transitions, runtime errors and step time, tagged with the chart's id (unique per test: meters are process-wide).
/// </summary>
public sealed class MachineMetricsSpecs(ITestOutputHelper output) : TestKit(output: output)
{
    [Fact]
    public async Task Events_transitions_errors_and_step_time_are_metered_per_chart()
    {
        using var meter = new MeterCapture(MachineMetrics.MeterName);
        const string chart = "metered-door";
        var door = Sys.SpawnMachine("metered", $$"""
            { "id": "{{chart}}", "initial": "closed", "states": {
                "closed": { "on": { "OPEN": "open", "BREAK": { "actions": "explode" }, "CALL": { "actions": "call" } } },
                "open": { "always": { "target": "closed" } } } }
            """, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["explode"] = _ => throw new InvalidOperationException("broken"),
            ["call"] = ctx => ctx.RequestSend("nobody-at-this-id", "HELLO"),
        });

        door.Tell(new MachineEvent("OPEN")); // two transitions: to open, and the eventless one back
        door.Tell(new MachineEvent("IGNORED"));
        door.Tell(new MachineEvent("BREAK"));
        door.Tell(new MachineEvent("CALL"));

        const string tag = MachineMetrics.ChartTag;
        Assert.True(await MeterCapture.EventuallyAsync(() => meter.Of(MachineMetrics.Errors, tag, chart).Count == 2),
            "both runtime errors are counted");
        // Handled: OPEN, IGNORED, BREAK, CALL and the error.communication raised by CALL (the start is not an event).
        Assert.True(await MeterCapture.EventuallyAsync(() => meter.Sum(MachineMetrics.EventsHandled, tag, chart) == 5));
        // OPEN's two, and BREAK's and CALL's targetless ones (the start enters its states without a transition).
        Assert.Equal(4, meter.Sum(MachineMetrics.Transitions, tag, chart));
        Assert.Equal(new[] { "error.communication", "error.execution" },
            meter.Of(MachineMetrics.Errors, tag, chart).Select(r => (string)r.Tags[MachineMetrics.ErrorTypeTag]!).Order());
        var steps = meter.Of(MachineMetrics.StepDuration, tag, chart);
        Assert.Equal(6, steps.Count); // the start and the five events
        Assert.All(steps, s => Assert.True(s.Value >= 0));
    }
}
