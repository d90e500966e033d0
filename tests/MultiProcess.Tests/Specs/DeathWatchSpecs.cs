using System.Diagnostics;
using Akka.Actor;
using XStateNet.Actors.MultiProcess.Tests.Roles;
using XStateNet.Actors.TestKit;
using Xunit.Abstractions;

namespace XStateNet.Actors.MultiProcess.Tests.Specs;

/// <summary>
/// A child that dies (<c>kill -9</c>) or freezes (SIGSTOP): remote DeathWatch tells the survivors (the test
/// node, and a machine in another child that was talking to it), and they keep working. A victim started again
/// under the same address is reached again without restarting anyone else; a victim paused only as long as a long
/// GC is not declared dead. (Two richer scenarios per transport rather than four: each starts three processes.)
/// </summary>
/// <remarks>
/// Three children: Victim hosts <c>pong</c>; Survivor hosts <c>ping</c>, which has played with <c>pong</c> (so its
/// machine watches it); Other hosts <c>pong2</c>, which Survivor can still play with afterwards.
/// Detection times are printed as <c>MEASURED</c> lines; the only assertion on time is a generous bound.
/// </remarks>
public sealed class DeathWatchSpecs(ITestOutputHelper output) : ReportingSpec<TrioRoles>(output)
{
    private static readonly TimeSpan DetectionBound = TimeSpan.FromSeconds(30);

    [Theory]
    [MemberData(nameof(MultiNodeTransports.AllAndSameHost), MemberType = typeof(MultiNodeTransports))]
    public async Task A_killed_child_is_reported_terminated_to_the_survivors_which_keep_working_and_is_reached_again_once_started_under_its_address(string transport)
    {
        await UseTransport(transport);
        var (victim, survivor, other) = await StartTrio();
        var victimPong = await WatchedPong();

        var (atTestNode, atMachine) = await Detect(victimPong, victim.Kill);
        Note($"MEASURED {transport}: kill -9 → Terminated at the test node after {atTestNode.TotalMilliseconds:N0} ms, " +
             $"at the surviving machine after {atMachine.TotalMilliseconds:N0} ms");

        await PlayPing(target: "pong2", expectFrom: "pong2");
        Assert.False(survivor.HasExited);
        Assert.False(other.HasExited);

        // The same victim started again under its address: reached without restarting anyone else.
        Assert.True(await victim.WaitForExit(TimeSpan.FromSeconds(10)));
        var restarted = Stopwatch.StartNew();
        var again = (await StartNodes("Victim"))[0];
        Assert.Equal(victim.Address, again.Address);
        Assert.NotEqual(victim.Pid, again.Pid);

        await PlayPingUntilAnswered(TimeSpan.FromSeconds(60));
        Note($"MEASURED {transport}: traffic resumed {restarted.ElapsedMilliseconds:N0} ms after starting the victim again (process start included)");
        var newPong = await Resolve("Victim", "pong");
        Assert.NotEqual(victimPong, newPong);
        Assert.False(survivor.HasExited);
        Assert.False(other.HasExited);
    }

    [Theory]
    [MemberData(nameof(MultiNodeTransports.AllAndSameHost), MemberType = typeof(MultiNodeTransports))]
    public async Task A_child_paused_for_two_seconds_like_a_long_GC_is_not_declared_dead_but_a_stopped_one_is_detected_by_heartbeats(string transport)
    {
        await UseTransport(transport);
        var (victim, _, _) = await StartTrio();
        var victimPong = await WatchedPong();
        try
        {
            victim.Pause();
            await Task.Delay(TimeSpan.FromSeconds(2));
            victim.Resume();

            // Longer than every transport's reaper tick and than the heartbeats' catch-up after the pause.
            await ExpectNoMsgAsync(TimeSpan.FromSeconds(3));
            await PlayPing(target: "pong", expectFrom: "pong");
            Assert.False(victim.HasExited);

            // Stopped for good this time: the heartbeats find it.
            var (atTestNode, atMachine) = await Detect(victimPong, victim.Pause);
            Note($"MEASURED {transport}: SIGSTOP → Terminated at the test node after {atTestNode.TotalMilliseconds:N0} ms, " +
                 $"at the surviving machine after {atMachine.TotalMilliseconds:N0} ms");
            await PlayPing(target: "pong2", expectFrom: "pong2");
        }
        finally
        {
            victim.Resume();
            victim.Kill();
        }
    }

    private async Task<(RoleNode Victim, RoleNode Survivor, RoleNode Other)> StartTrio()
    {
        var nodes = await StartNodes("Victim", "Survivor", "Other");
        await PlayPing(target: "pong", expectFrom: "pong"); // the survivor's machine now watches the victim's
        return (nodes[0], nodes[1], nodes[2]);
    }

    private async Task<IActorRef> WatchedPong()
    {
        var pong = await Resolve("Victim", "pong");
        Watch(pong);
        // Let the watch settle (the remote watcher's first heartbeat answered), so what is measured afterwards is
        // the failure detection itself, not a watch racing the harm done.
        await ExpectNoMsgAsync(TimeSpan.FromSeconds(1.5));
        return pong;
    }

    /// <summary>Does <paramref name="harm"/>, then measures when the test node and the surviving machine learn of it.</summary>
    private async Task<(TimeSpan AtTestNode, TimeSpan AtMachine)> Detect(IActorRef victimPong, Action harm)
    {
        var clock = Stopwatch.StartNew();
        harm();
        var atTestNode = Task.Run(async () =>
        {
            var terminated = await ExpectMsgAsync<Terminated>(DetectionBound);
            Assert.Equal(victimPong, terminated.ActorRef);
            Note($"Terminated at {clock.ElapsedMilliseconds} ms: address terminated {terminated.AddressTerminated}, existence confirmed {terminated.ExistenceConfirmed}");
            return clock.Elapsed;
        });
        var atMachine = Task.Run(async () =>
        {
            var report = await ExpectReport("TARGET_TERMINATED", DetectionBound);
            Assert.Equal("ping", Field(report, "machine"));
            Assert.Equal("pong", Field(report, "target"));
            return clock.Elapsed;
        });
        return (await atTestNode, await atMachine);
    }

    private async Task PlayPing(string target, string expectFrom)
    {
        Machine("Survivor", "ping").Tell(new MachineEvent("START", Fields(("rounds", 10), ("target", target))));
        var done = await ExpectReport("PONG_DONE", TimeSpan.FromSeconds(30));
        Assert.Equal(expectFrom, Field(done, "from"));
    }

    /// <summary>
    /// Right after a restart the first sends may still meet the old association's gate and fail with
    /// <c>error.communication</c>: the machine sees that, and the spec simply asks again.
    /// </summary>
    private async Task PlayPingUntilAnswered(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Machine("Survivor", "ping").Tell(new MachineEvent("START", Fields(("rounds", 10), ("target", "pong"))));
            var report = await Probe.ExpectMsgAsync<MachineEvent>(TimeSpan.FromSeconds(15));
            if (report.Name == "PONG_DONE")
            {
                Assert.Equal("pong", Field(report, "from"));
                return;
            }
            Note($"not yet: {report.Name} {Field(report, "reason")}");
            Assert.Equal("COMMUNICATION_ERROR", report.Name);
            Assert.True(deadline.Elapsed < timeout, $"the restarted victim was not reached within {timeout.TotalSeconds:0} s");
            await Task.Delay(250);
        }
    }
}
