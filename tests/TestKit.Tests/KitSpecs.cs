using Xunit.Abstractions;

namespace XStateNet.Actors.TestKit.Tests;

/// <summary>The TestKit's promises with real child processes: barriers, remote assertions, links.</summary>
public sealed class KitSpecs(ITestOutputHelper output) : MultiNodeSpec<KitRoles>(output)
{
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(20);

    [Theory]
    [MemberData(nameof(MultiNodeTransports.All), MemberType = typeof(MultiNodeTransports))]
    public async Task A_barrier_waits_for_a_node_whose_body_has_not_reached_it_yet(string transport)
    {
        await UseTransport(transport);
        await StartNodes();

        await EnterBarrier("one");
        // alpha told the probe before it entered; it goes on (and tells again) only once the barrier passed.
        Assert.Equal("alpha before one", await Probe.ExpectMsgAsync<string>(Answer));
        Assert.Equal("alpha after one", await Probe.ExpectMsgAsync<string>(Answer));
    }

    [Fact]
    public async Task A_failed_assertion_on_a_node_fails_the_spec_with_that_node_s_exception()
    {
        await UseTransport("pipe");
        await StartNodes("beta");

        var failure = await Assert.ThrowsAsync<RemoteNodeException>(() =>
            RunOn("beta", 7L, static (node, expected) => Task.FromException(new InvalidOperationException($"{node.Role} expected {expected}"))));
        Assert.Equal("beta", failure.Role);
        Assert.Contains("InvalidOperationException: beta expected 7", failure.Message);

        await RunOn("beta", static async node => Assert.Equal(["on"], (await node.Snapshot("echo")).ActiveStates)); // passes: no exception
    }

    [Fact]
    public async Task A_throttled_then_partitioned_link_is_healed_and_carries_messages_again()
    {
        await UseTransport("pipe");
        await StartNodes();
        Machine("echo").Tell(new MachineEvent("SAY", "first"));
        Assert.Equal("first", (await Echo()).Data);

        // Akka's throttler (applied-adapters = [trttl]) wraps our pipe transport: the commands are accepted by it.
        await Throttle("alpha", "beta", 10_000);
        await Partition("alpha", "beta");
        await Heal("alpha", "beta");

        // The test node's own link to beta was never cut.
        Machine("echo").Tell(new MachineEvent("SAY", "second"));
        Assert.Equal("second", (await Echo()).Data);
    }

    /// <summary>The next echo, past alpha's body's reports (it runs on this spec's nodes too).</summary>
    private async Task<MachineEvent> Echo() => (MachineEvent)await Probe.FishForMessageAsync(message => message is MachineEvent, Answer);
}

/// <summary>A node that cannot start fails the spec with its own error, and leaves nothing behind.</summary>
public sealed class StartupSpecs(ITestOutputHelper output) : MultiNodeSpec<BrokenRoles>(output)
{
    [Fact]
    public async Task A_role_whose_set_up_throws_fails_the_start_with_the_user_s_error()
    {
        await UseTransport("shm");
        var failure = await Assert.ThrowsAsync<TimeoutException>(() => StartNodes());
        Assert.Contains("Role broken", failure.Message);
        Assert.Contains("exited with code 1", failure.Message);
        Assert.Contains("FAILED System.InvalidOperationException: the set-up of broken refuses to run", failure.Message);
    }
}
