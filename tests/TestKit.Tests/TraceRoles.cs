using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using XStateNet.Actors.Telemetry;

namespace XStateNet.Actors.TestKit.Tests;

/// <summary>
/// The pipeline's chain of events over three processes: <c>ingester</c> sends to <c>processor</c>, which sends to
/// <c>storage</c>, which answers <c>ingester</c>. Every action appends the trace id of the step it runs in to the
/// payload, and the last one hands the list to the probe. Each process exports its machines' activities with
/// OpenTelemetry's in-memory exporter (<see cref="Exported"/>).
/// </summary>
public sealed class TraceRoles : MultiNodeConfig
{
    /// <summary>The activities this process exported (the child's own; read in the child by RunOn).</summary>
    public static readonly List<Activity> Exported = [];

    private static TracerProvider? _provider;

    public TraceRoles()
    {
        Role("ingester").Setup(Export).Machine("ingester", """
            { "id": "ingester", "initial": "idle", "states": {
                "idle": { "on": { "START": { "target": "waiting", "actions": "send" } } },
                "waiting": { "on": { "STORED": { "target": "idle", "actions": "report" } } } } }
            """, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["send"] = ctx => ctx.RequestSend("processor", "PROCESS", CurrentTrace()),
            ["report"] = ctx => ctx.RequestSend("probe", "TRACE", $"{ctx.Payload},{CurrentTrace()}"),
        });
        Role("processor").Setup(Export).Machine("processor", """
            { "id": "processor", "initial": "on", "states": { "on": { "on": { "PROCESS": { "actions": "forward" } } } } }
            """, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["forward"] = ctx => ctx.RequestSend("storage", "STORE", $"{ctx.Payload},{CurrentTrace()}"),
        });
        Role("storage").Setup(Export).Machine("storage", """
            { "id": "storage", "initial": "on", "states": { "on": { "on": { "STORE": { "actions": "answer" } } } } }
            """, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["answer"] = ctx => ctx.RequestSend("ingester", "STORED", $"{ctx.Payload},{CurrentTrace()}"),
        });
    }

    private static string CurrentTrace() => Activity.Current?.TraceId.ToHexString() ?? "none";

    private static void Export(Akka.Actor.ActorSystem _) =>
        _provider ??= Sdk.CreateTracerProviderBuilder().AddSource(MachineTracing.SourceName).AddInMemoryExporter(Exported).Build();
}
