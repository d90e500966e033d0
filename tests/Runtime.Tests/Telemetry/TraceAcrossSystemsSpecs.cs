using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using OpenTelemetry;
using OpenTelemetry.Trace;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Telemetry;
using Xunit.Abstractions;

namespace XStateNet.Actors.Tests.Telemetry;

/// <summary>
/// One chain of events between machines of two actor systems (over Akka.Remote's TCP, so the trace context crosses
/// in the machine event's serialized bytes) is one trace, exported by OpenTelemetry's in-memory exporter: each
/// machine's step is a child of the step that sent its event.
/// </summary>
public sealed class TraceAcrossSystemsSpecs : TestKit
{
    private readonly ActorSystem _right;

    public TraceAcrossSystemsSpecs(ITestOutputHelper output) : this(FreePort(), FreePort(), output)
    {
    }

    private TraceAcrossSystemsSpecs(int leftPort, int rightPort, ITestOutputHelper output)
        : base(NodeConfig("Left", leftPort, ("trace-pong", "Right", rightPort)), "Left", output)
    {
        _right = ActorSystem.Create("Right", NodeConfig("Right", rightPort, ("trace-ping", "Left", leftPort)));
    }

    [Fact]
    public async Task A_ping_pong_between_two_systems_is_one_trace_each_step_a_child_of_the_sender()
    {
        var exported = new List<Activity>();
        using (Sdk.CreateTracerProviderBuilder().AddSource(MachineTracing.SourceName).AddInMemoryExporter(exported).Build())
        {
            _right.SpawnMachine("trace-pong", """
                { "initial": "ready", "states": { "ready": { "on": { "PING": { "actions": "answer" } } } } }
                """, new Dictionary<string, Action<OrchestratedContext>> { ["answer"] = ctx => ctx.RequestSend("trace-ping", "PONG") });
            var ping = Sys.SpawnMachine("trace-ping", """
                { "initial": "idle", "states": {
                    "idle": { "on": { "GO": { "target": "waiting", "actions": "send" } } },
                    "waiting": { "on": { "PONG": { "target": "idle", "actions": "report" } } } } }
                """, new Dictionary<string, Action<OrchestratedContext>>
            {
                ["send"] = ctx => ctx.RequestSend("trace-pong", "PING"),
                ["report"] = _ => TestActor.Tell("pong"),
            });

            ping.Tell(new MachineEvent("GO"));
            ExpectMsg("pong", TimeSpan.FromSeconds(20));
            await AwaitConditionAsync(() => Task.FromResult(Steps(exported).Count(a => a.GetTagItem(MachineTracing.EventTag) is "PONG") == 1),
                TimeSpan.FromSeconds(10));
        }

        var steps = Steps(exported);
        var go = Assert.Single(steps, a => Equals(a.GetTagItem(MachineTracing.EventTag), "GO"));
        var pingStep = Assert.Single(steps, a => Equals(a.GetTagItem(MachineTracing.EventTag), "PING"));
        var pong = Assert.Single(steps, a => Equals(a.GetTagItem(MachineTracing.EventTag), "PONG"));
        Assert.Equal(default, go.ParentSpanId); // told from outside any machine: the trace starts here
        Assert.Equal(go.TraceId, pingStep.TraceId);
        Assert.Equal(go.TraceId, pong.TraceId);
        Assert.Equal(go.SpanId, pingStep.ParentSpanId);
        Assert.Equal(pingStep.SpanId, pong.ParentSpanId);
        Assert.Equal("trace-pong", pingStep.GetTagItem(MachineTracing.MachineIdTag));
        Assert.Equal("trace-ping", pingStep.GetTagItem(MachineTracing.SourceMachineTag));
        Assert.Equal("idle", pong.GetTagItem(MachineTracing.StatesTag));
        Assert.Equal(ActivityKind.Consumer, pong.Kind);
    }

    private static List<Activity> Steps(List<Activity> exported)
    {
        lock (exported)
        {
            return exported.Where(a => a.GetTagItem(MachineTracing.MachineIdTag) is "trace-ping" or "trace-pong").ToList();
        }
    }

    protected override void AfterAll()
    {
        _right.Terminate().Wait(TimeSpan.FromSeconds(10));
        base.AfterAll();
    }

    private static Config NodeConfig(string system, int port, (string Id, string System, int Port) route) =>
        ConfigurationFactory.ParseString($$"""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = {{port}} }
            xstatenet.machines { {{route.Id}} = "akka.tcp://{{route.System}}@127.0.0.1:{{route.Port}}/user/{{route.Id}}" }
            """).WithFallback(XStateNetConfig.Default);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
