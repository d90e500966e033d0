using System.Diagnostics;
using XStateNet.Actors.MultiProcess.Tests.Roles;
using XStateNet.Actors.TestKit;
using Xunit.Abstractions;

namespace XStateNet.Actors.MultiProcess.Tests.Specs;

/// <summary>
/// A node paused (SIGSTOP) until its peer declares it dead is quarantined by that peer for good. When it resumes it
/// notices (its own pause, or the peer refusing it), restarts its actor system in the same process (same address,
/// fresh uid) and spawns its machines again, and the two nodes' machines talk again: nobody restarts a process.
/// </summary>
/// <remarks>
/// Short failure-detector timings (<see cref="RecoveryRoles"/>) make "declared dead" take a few seconds.
/// </remarks>
public sealed class RecoverySpecs(ITestOutputHelper output) : ReportingSpec<RecoveryRoles>(output)
{
    public static TheoryData<string, bool> TransportsAndSigns()
    {
        var data = new TheoryData<string, bool>();
        foreach (string transport in MultiNodeTransports.All) data.Add(transport, false);
        // Told only: needs LivenessAwareRemoteActorRefProvider (pipe and shm use it), whose failure detector does not
        // judge peers in the shadow of this node's own pause. With Akka's plain provider (tcp.conf) the resumed node first
        // quarantines its peer too, and two nodes that quarantined each other are never told: only the pause is a sign.
        foreach (string transport in MultiNodeTransports.All)
        {
            if (transport != "tcp") data.Add(transport, true);
        }
        return data;
    }

    /// <param name="transport">The transport under test.</param>
    /// <param name="onlyWhenTold">
    /// False: the node notices its own pause (<c>xstatenet.recovery.after-pause</c>). True: that is off, and the node
    /// acts only when Akka tells it that a peer quarantined it.
    /// </param>
    [Theory]
    [MemberData(nameof(TransportsAndSigns))]
    public async Task A_node_paused_until_declared_dead_restarts_itself_and_traffic_resumes(string transport, bool onlyWhenTold)
    {
        await UseTransport(transport);
        if (onlyWhenTold) ConfigureRole("Right", "xstatenet.recovery.after-pause = off");
        var nodes = await StartNodes("Left", "Right");
        var (survivor, paused) = (nodes[0], nodes[1]);
        // ping now watches pong; the first association may outlast the 2 s resolve timeout on a loaded host: ask again.
        await PlayPingUntilAnswered(TimeSpan.FromSeconds(60));
        // Akka quarantines only an address whose system UID its remote watcher knows, and learns it from the first
        // heartbeat reply (interval 500 ms); paused before that, the survivor merely gates the address and the paused
        // node is never told it was quarantined. Let a few heartbeats go round first.
        await Task.Delay(TimeSpan.FromSeconds(2));

        var mark = paused.LineCount;
        var pausedFor = Stopwatch.StartNew();
        paused.Pause();
        try
        {
            var terminated = await ExpectReport("TARGET_TERMINATED", TimeSpan.FromSeconds(30));
            Assert.Equal("pong", Field(terminated, "target"));
            Note($"MEASURED {transport}: the paused node was declared dead after {pausedFor.ElapsedMilliseconds:N0} ms");
            await Task.Delay(TimeSpan.FromSeconds(1)); // the survivor's quarantine is in place
        }
        finally
        {
            paused.Resume();
        }

        var resumed = Stopwatch.StartNew();
        var restarted = await paused.WaitForLine(mark, line => line.StartsWith("RESTARTED ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Note($"MEASURED {transport}: restarted {resumed.ElapsedMilliseconds:N0} ms after SIGCONT: {restarted}");
        Assert.StartsWith($"RESTARTED {AddressOf("Right")}", restarted);
        Assert.Contains(onlyWhenTold ? "has quarantined this actor system" : "this process was paused", restarted);

        await PlayPingUntilAnswered(TimeSpan.FromSeconds(60));
        Note($"MEASURED {transport}: traffic resumed {resumed.ElapsedMilliseconds:N0} ms after SIGCONT");
        Assert.False(paused.HasExited);
        Assert.False(survivor.HasExited);
        Note(survivor.Log.Contains("RESTARTED ", StringComparison.Ordinal)
            ? $"{transport}: the survivor restarted too (it was quarantined by the paused node)"
            : $"{transport}: the survivor kept its actor system");
    }

    /// <summary>Until the restarted node answers, a round fails with error.communication (or the old pong's termination): ask again.</summary>
    private async Task PlayPingUntilAnswered(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Machine("Left", "ping").Tell(new MachineEvent("START", Fields(("rounds", 10))));
            MachineEvent report;
            do
            {
                report = await Probe.ExpectMsgAsync<MachineEvent>(TimeSpan.FromSeconds(30));
                if (report.Name == "PONG_DONE")
                {
                    Assert.Equal("pong", Field(report, "from"));
                    return;
                }
                Note($"not yet: {report.Name} {(report.Data is IDictionary<string, object?> fields && fields.TryGetValue("reason", out var reason) ? reason : null)}");
                Assert.Contains(report.Name, new[] { "COMMUNICATION_ERROR", "TARGET_TERMINATED" });
            }
            while (report.Name == "TARGET_TERMINATED"); // not the answer to this round: wait for it
            Assert.True(deadline.Elapsed < timeout, $"traffic did not resume within {timeout.TotalSeconds:0} s.\n{NodesLog()}");
            await Task.Delay(250);
        }
    }
}
