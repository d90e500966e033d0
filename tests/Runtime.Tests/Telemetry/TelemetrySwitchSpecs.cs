using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Telemetry;
using XStateNet.Actors.Transport.Contract;
using Xunit.Abstractions;

namespace XStateNet.Actors.Tests.Telemetry;

/// <summary>
/// <c>xstatenet.telemetry.tracing</c> and <c>.metrics</c> switch a node's recording on or off whatever listens: with
/// tracing off a machine starts no activity and the events it sends carry no trace context, even when the event it
/// handles carried one; with metrics off its chart is not counted. Each case runs on and off, so that it can fail.
/// </summary>
public sealed class TelemetrySwitchSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Tracing_switched_off_starts_no_activity_and_passes_no_trace_context_on(bool tracing)
    {
        var relay = "relay-" + Guid.NewGuid().ToString("N")[..8];
        var started = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MachineTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = activity =>
            {
                if (activity.OperationName.StartsWith(relay + " ", StringComparison.Ordinal)) started.Enqueue(activity);
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var kit = new Akka.TestKit.Xunit2.TestKit(NodeConfig($"xstatenet.telemetry.tracing = {(tracing ? "on" : "off")}"), output: output);
        MachineRoutes.For(kit.Sys).SetRoute("sink", kit.TestActor.Path.ToString());
        var machine = kit.Sys.SpawnMachine(relay, """
            { "initial": "ready", "states": { "ready": { "on": { "GO": { "actions": "pass" } } } } }
            """, new Dictionary<string, Action<OrchestratedContext>> { ["pass"] = ctx => ctx.RequestSend("sink", "OUT") });
        var sender = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);

        machine.Tell(new MachineEvent("GO") { TraceContext = sender });
        var sent = kit.ExpectMsg<MachineEvent>(m => m.Name == "OUT", Patience);
        await machine.Ask<MachineSnapshot>(GetMachineSnapshot.Instance, Patience); // the GO step has ended

        if (tracing)
        {
            var step = Assert.Single(started, a => a.OperationName == relay + " GO");
            Assert.Equal(sender.TraceId, step.TraceId);
            Assert.Equal(sender.SpanId, step.ParentSpanId);
            Assert.Equal(step.TraceId, sent.TraceContext.TraceId);
            Assert.Equal(step.SpanId, sent.TraceContext.SpanId);
        }
        else
        {
            Assert.Empty(started);
            Assert.False(sent.HasTraceContext);
            Assert.Equal(default, sent.TraceContext);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Metrics_switched_off_count_nothing_for_the_nodes_machines(bool metrics)
    {
        using var meter = new MeterCapture(MachineMetrics.MeterName);
        var chart = "switched-" + Guid.NewGuid().ToString("N")[..8];
        using var system = ActorSystem.Create("switches", NodeConfig($"xstatenet.telemetry.metrics = {(metrics ? "on" : "off")}"));
        var door = system.SpawnMachine("switched-door", $$"""
            { "id": "{{chart}}", "initial": "closed", "states": { "closed": { "on": { "OPEN": "open" } }, "open": {} } }
            """, new Dictionary<string, Action<OrchestratedContext>>());

        door.Tell(new MachineEvent("OPEN"));
        var snapshot = await door.Ask<MachineSnapshot>(GetMachineSnapshot.Instance, Patience);
        Assert.Equal(["open"], snapshot.ActiveStates);

        if (metrics)
        {
            Assert.True(await MeterCapture.EventuallyAsync(() => meter.Sum(MachineMetrics.EventsHandled, MachineMetrics.ChartTag, chart) == 1));
            Assert.Equal(1, meter.Sum(MachineMetrics.Transitions, MachineMetrics.ChartTag, chart));
        }
        else
        {
            // The snapshot was answered after the OPEN step had recorded whatever it records.
            Assert.Empty(meter.Of(MachineMetrics.EventsHandled, MachineMetrics.ChartTag, chart));
            Assert.Empty(meter.Of(MachineMetrics.Transitions, MachineMetrics.ChartTag, chart));
            Assert.Empty(meter.Of(MachineMetrics.StepDuration, MachineMetrics.ChartTag, chart));
        }
        await system.Terminate();
    }

    private static Config NodeConfig(string switches) =>
        ConfigurationFactory.ParseString("akka.loglevel = WARNING\n" + switches).WithFallback(XStateNetConfig.Default);
}
