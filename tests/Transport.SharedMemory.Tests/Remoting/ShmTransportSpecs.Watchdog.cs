using Akka.Remote.Transport;
using XStateNet.Actors.Transport.SharedMemory.Ring;

namespace XStateNet.Actors.Transport.SharedMemory.Tests.Remoting;

/// <summary>The watchdog of a node that was itself paused (issue 13, item 2, the shm transport's part).</summary>
public sealed partial class ShmTransportSpecs
{
    [Fact]
    public async Task After_its_own_watchdog_ran_late_a_node_gives_peers_a_fresh_heartbeat_timeout_before_judging_them()
    {
        // The peer's clock is frozen, so it never writes another heartbeat: to the node under test it looks exactly
        // like a peer whose watchdog was paused along with ours.
        var frozen = MonotonicClock.NowMs;
        var now = frozen;
        var (_, aAddress, aInbound) = await Start("heartbeat-timeout = 2s", clock: () => frozen);
        var (b, _, _) = await Start("heartbeat-timeout = 2s", clock: () => Volatile.Read(ref now));
        var outbound = await b.Associate(aAddress);
        var inbound = await aInbound.Next();
        var atB = new Collector();
        outbound.ReadHandlerSource.SetResult(atB);
        inbound.ReadHandlerSource.SetResult(new Collector());
        b.CheckPeers();

        // b's own tick comes 10 s late: the peer's heartbeat is 10 s old, but measured across b's own pause.
        Volatile.Write(ref now, frozen + 10_000);
        b.CheckPeers();
        await Task.Delay(200);
        Assert.Equal(0, atB.PendingEvents);
        Assert.Single(b.OpenSegments);

        // Ticks on time from then on: the peer gets heartbeat-timeout (2 s) counted from the late tick, and no more.
        for (var step = 0; step < 8; step++)
        {
            Volatile.Write(ref now, Volatile.Read(ref now) + 250);
            b.CheckPeers();
        }

        await Task.Delay(200);
        Assert.Equal(0, atB.PendingEvents);
        Volatile.Write(ref now, Volatile.Read(ref now) + 250);
        b.CheckPeers();
        Assert.IsType<Disassociated>(await atB.NextEvent());
        Assert.Empty(b.OpenSegments);
    }
}
