using Akka.Actor;

namespace XStateNet.Actors.Transport.Tests;

public sealed class PeerLivenessSpecs : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("liveness");

    [Fact]
    public void A_peer_reported_gone_under_its_transport_address_is_gone_under_Akkas_address_too()
    {
        var liveness = PeerLiveness.For(_system);
        liveness.ReportGone(new Address("pipe", "Peer", "localhost", 2552), 4242, "end of stream without goodbye");

        Assert.True(liveness.IsKnownGone(new Address("akka.pipe", "Peer", "localhost", 2552)));
        Assert.Equal("end of stream without goodbye", liveness.GoneReason(new Address("akka.pipe", "Peer", "localhost", 2552)));
        Assert.False(liveness.IsKnownGone(new Address("akka.pipe", "Peer", "localhost", 2553)));
        Assert.False(liveness.IsKnownGone(new Address("akka.shm", "Peer", "localhost", 2552)));
    }

    [Fact]
    public void A_new_process_at_the_address_clears_the_report()
    {
        var liveness = PeerLiveness.For(_system);
        var peer = new Address("akka.shm", "Peer", "localhost", 4000);
        liveness.ReportGone(peer, 42, "pid 42 gone");

        liveness.ReportAlive(new Address("shm", "Peer", "localhost", 4000), 43);

        Assert.False(liveness.IsKnownGone(peer));
        Assert.Null(liveness.GoneReason(peer));
    }

    [Fact]
    public void A_late_report_about_the_previous_process_does_not_mark_its_successor_gone()
    {
        var liveness = PeerLiveness.For(_system);
        var peer = new Address("akka.pipe", "Peer", "localhost", 4001);
        liveness.ReportAlive(peer, 42);
        liveness.ReportAlive(peer, 43);             // restarted under the same address before 42's pipe was judged

        liveness.ReportGone(peer, 42, "pid 42 gone");

        Assert.False(liveness.IsKnownGone(peer));
        liveness.ReportGone(peer, 43, "pid 43 gone");
        Assert.True(liveness.IsKnownGone(peer));
    }

    private static readonly long SettleMs = (long)PeerLiveness.SettleAfterClose.TotalMilliseconds;
    private static readonly long WaitWithoutCloseMs = (long)PeerLiveness.SettleWithoutClose.TotalMilliseconds;
    private long _nowMs = 1_000;

    [Fact]
    public void A_gone_peer_is_declared_dead_only_after_Akka_has_closed_its_association()
    {
        var (liveness, peer) = Watching(4002);
        liveness.ReportGone(new Address("pipe", "Peer", "localhost", 4002), 42, "pid 42 gone");

        Assert.True(liveness.IsKnownGone(peer));
        Assert.False(liveness.CanDeclareDead(peer));

        _nowMs += 10;
        liveness.NoteAssociationClosed(peer);
        Assert.False(liveness.CanDeclareDead(peer));

        _nowMs += SettleMs;
        Assert.True(liveness.CanDeclareDead(peer));
    }

    [Fact]
    public void The_verdict_waits_for_the_last_of_the_peers_associations_to_close()
    {
        var (liveness, peer) = Watching(4006);
        liveness.ReportGone(peer, 42, "pid 42 gone");

        liveness.NoteAssociationClosed(peer);       // the inbound endpoint
        _nowMs += SettleMs - 10;
        liveness.NoteAssociationClosed(peer);       // the outbound one, a little later
        _nowMs += 10;
        Assert.False(liveness.CanDeclareDead(peer));

        _nowMs += SettleMs - 10;
        Assert.True(liveness.CanDeclareDead(peer));
    }

    [Fact]
    public void A_gone_peer_without_an_association_to_close_is_declared_dead_after_the_longer_wait()
    {
        var (liveness, peer) = Watching(4003);
        liveness.ReportGone(peer, 42, "pid 42 gone");

        _nowMs += WaitWithoutCloseMs - 1;
        Assert.False(liveness.CanDeclareDead(peer));
        _nowMs += 1;
        Assert.True(liveness.CanDeclareDead(peer));
    }

    [Fact]
    public void A_close_before_the_report_does_not_count()
    {
        var (liveness, peer) = Watching(4004);
        liveness.ReportAlive(peer, 42);
        liveness.NoteAssociationClosed(peer);      // an ordinary disassociation, nothing known about the process

        _nowMs += 100;
        liveness.ReportGone(peer, 42, "pid 42 gone");
        _nowMs += SettleMs;
        Assert.False(liveness.CanDeclareDead(peer));

        liveness.NoteAssociationClosed(peer);
        _nowMs += SettleMs;
        Assert.True(liveness.CanDeclareDead(peer));
    }

    [Fact]
    public void A_live_peer_is_never_declared_dead()
    {
        var (liveness, peer) = Watching(4005);
        liveness.ReportAlive(peer, 42);
        liveness.NoteAssociationClosed(peer);

        _nowMs += 60_000;
        Assert.False(liveness.CanDeclareDead(peer));
    }

    /// <summary>A registry on this spec's clock, and a peer address at <paramref name="port"/>.</summary>
    private (PeerLiveness Liveness, Address Peer) Watching(int port) =>
        (new PeerLiveness(() => _nowMs), new Address("akka.pipe", "Peer", "localhost", port));

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));
}
