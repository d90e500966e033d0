using System.Diagnostics;
using XStateNet.Actors.TestKit;
using Xunit.Abstractions;

namespace XStateNet.Actors.TestKit.Tests.Ported;

/// <summary>
/// Two of the repository's multi-process specs on the package: ping-pong by machine id through routes, and a node
/// paused (SIGSTOP) until its peer declares it dead, which restarts itself when resumed while traffic comes back.
/// </summary>
public sealed class PingPongSpecs(ITestOutputHelper output) : MultiNodeSpec<PingPongRoles>(output)
{
    [Theory]
    [MemberData(nameof(MultiNodeTransports.All), MemberType = typeof(MultiNodeTransports))]
    public async Task Machines_in_two_processes_play_ping_pong_by_id_through_routes(string transport)
    {
        await UseTransport(transport);
        await StartNodes();

        Machine("ping").Tell(new MachineEvent("START", new { Rounds = 1_000L }));

        var done = await Next("PONG_DONE", TimeSpan.FromSeconds(60));
        Assert.Equal(1_000L, Convert.ToInt64(Field(done, "Rounds")));
        Assert.Equal("pong", Field(done, "From"));
    }

    [Theory]
    [MemberData(nameof(MultiNodeTransports.All), MemberType = typeof(MultiNodeTransports))]
    public async Task A_node_paused_until_declared_dead_restarts_itself_and_traffic_resumes(string transport)
    {
        await UseTransport(transport);
        await StartNodes();
        await PlayUntilAnswered(TimeSpan.FromSeconds(60)); // ping now watches pong

        var paused = Node("right");
        var mark = paused.LineCount;
        var clock = Stopwatch.StartNew();
        paused.Pause();
        try
        {
            var terminated = await Next("TARGET_TERMINATED", TimeSpan.FromSeconds(30));
            Assert.Equal("pong", Field(terminated, "Target"));
            Note($"MEASURED {transport}: the paused node was declared dead after {clock.ElapsedMilliseconds:N0} ms");
        }
        finally
        {
            paused.Resume();
        }

        var restarted = await paused.WaitForLine(mark, line => line.StartsWith("RESTARTED ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.StartsWith($"RESTARTED {AddressOf("right")}", restarted);
        await PlayUntilAnswered(TimeSpan.FromSeconds(60));
        Assert.False(paused.HasExited);
    }

    /// <summary>Plays 10 rounds until they complete: a round lost to a peer that is not back yet is asked again.</summary>
    private async Task PlayUntilAnswered(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Machine("ping").Tell(new MachineEvent("START", new { Rounds = 10L }));
            var report = await Probe.ExpectMsgAsync<MachineEvent>(TimeSpan.FromSeconds(30));
            if (report.Name == "PONG_DONE") return;
            Assert.Contains(report.Name, new[] { "COMMUNICATION_ERROR", "TARGET_TERMINATED" });
            Assert.True(deadline.Elapsed < timeout, $"no answer within {timeout.TotalSeconds:0} s: {report.Name}");
            await Task.Delay(250);
        }
    }

    /// <summary>The next report named <paramref name="name"/>; communication errors before it are noted and skipped.</summary>
    private async Task<MachineEvent> Next(string name, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var left = timeout - deadline.Elapsed;
            var report = await Probe.ExpectMsgAsync<MachineEvent>(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
            if (report.Name == name) return report;
            Assert.True(report.Name == "COMMUNICATION_ERROR", $"expected {name}, got {report.Name}");
            Note($"skipped {report.Name}");
        }
    }

    private static object? Field(MachineEvent report, string key) =>
        report.Data is IDictionary<string, object?> fields && fields.TryGetValue(key, out var value)
            ? value
            : throw new InvalidOperationException($"report {report.Name} has no field '{key}'");
}
