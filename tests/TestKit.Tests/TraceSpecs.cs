using System.Diagnostics;
using XStateNet.Actors.Telemetry;
using Xunit.Abstractions;

namespace XStateNet.Actors.TestKit.Tests;

/// <summary>
/// One chain of events across three processes is one trace, over every transport: the W3C trace context travels in
/// each machine event, and each machine's step is a child of the step that sent it.
/// </summary>
public sealed class TraceSpecs(ITestOutputHelper output) : MultiNodeSpec<TraceRoles>(output)
{
    [Theory]
    [MemberData(nameof(MultiNodeTransports.All), MemberType = typeof(MultiNodeTransports))]
    public async Task Ingester_processor_storage_and_back_is_one_trace_across_three_processes(string transport)
    {
        await UseTransport(transport);
        await StartNodes();

        Machine("ingester").Tell(new MachineEvent("START"));
        var report = await Probe.ExpectMsgAsync<MachineEvent>(TimeSpan.FromSeconds(30));
        Assert.Equal("TRACE", report.Name);
        var traces = ((string)report.Data!).Split(',');
        Assert.Equal(4, traces.Length); // ingester, processor, storage, ingester again
        Assert.DoesNotContain("none", traces);
        Assert.Single(traces.Distinct());

        // In the storage process: its step's activity was exported, a child of a span of another process.
        await RunOn("storage", traces[0], static (_, trace) =>
        {
            lock (TraceRoles.Exported)
            {
                var store = Assert.Single(TraceRoles.Exported, a => Equals(a.GetTagItem(MachineTracing.EventTag), "STORE"));
                Assert.Equal(trace, store.TraceId.ToHexString());
                Assert.True(store.HasRemoteParent);
                Assert.Equal(ActivityKind.Consumer, store.Kind);
            }

            return Task.CompletedTask;
        });
    }
}
