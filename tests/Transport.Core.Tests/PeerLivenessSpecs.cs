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

    [Fact]
    public void A_gone_peer_is_declared_dead_only_after_Akka_has_closed_its_association()
    {
        long now = 1_000;
        var liveness = new PeerLiveness(() => now);
        var peer = new Address("akka.pipe", "Peer", "localhost", 4002);
        liveness.ReportGone(new Address("pipe", "Peer", "localhost", 4002), 42, "pid 42 gone");

        Assert.True(liveness.IsKnownGone(peer));
        Assert.False(liveness.CanDeclareDead(peer));

        now += 10;
        liveness.NoteAssociationClosed(peer);
        Assert.False(liveness.CanDeclareDead(peer));

        now += (long)PeerLiveness.SettleAfterClose.TotalMilliseconds;
        Assert.True(liveness.CanDeclareDead(peer));
    }

    [Fact]
    public void The_verdict_waits_for_the_last_of_the_peers_associations_to_close()
    {
        long now = 1_000;
        var liveness = new PeerLiveness(() => now);
        var peer = new Address("akka.pipe", "Peer", "localhost", 4006);
        liveness.ReportGone(peer, 42, "pid 42 gone");
        var settle = (long)PeerLiveness.SettleAfterClose.TotalMilliseconds;

        liveness.NoteAssociationClosed(peer);       // the inbound endpoint
        now += settle - 10;
        liveness.NoteAssociationClosed(peer);       // the outbound one, a little later
        now += 10;
        Assert.False(liveness.CanDeclareDead(peer));

        now += settle - 10;
        Assert.True(liveness.CanDeclareDead(peer));
    }

    [Fact]
    public void A_gone_peer_without_an_association_to_close_is_declared_dead_after_the_longer_wait()
    {
        long now = 1_000;
        var liveness = new PeerLiveness(() => now);
        var peer = new Address("akka.shm", "Peer", "localhost", 4003);
        liveness.ReportGone(peer, 42, "pid 42 gone");

        now += (long)PeerLiveness.SettleWithoutClose.TotalMilliseconds - 1;
        Assert.False(liveness.CanDeclareDead(peer));
        now += 1;
        Assert.True(liveness.CanDeclareDead(peer));
    }

    [Fact]
    public void A_close_before_the_report_does_not_count()
    {
        long now = 1_000;
        var liveness = new PeerLiveness(() => now);
        var peer = new Address("akka.pipe", "Peer", "localhost", 4004);
        liveness.ReportAlive(peer, 42);
        liveness.NoteAssociationClosed(peer);      // an ordinary disassociation, nothing known about the process

        now += 100;
        liveness.ReportGone(peer, 42, "pid 42 gone");
        now += (long)PeerLiveness.SettleAfterClose.TotalMilliseconds;
        Assert.False(liveness.CanDeclareDead(peer));

        liveness.NoteAssociationClosed(peer);
        now += (long)PeerLiveness.SettleAfterClose.TotalMilliseconds;
        Assert.True(liveness.CanDeclareDead(peer));
    }

    [Fact]
    public void A_live_peer_is_never_declared_dead()
    {
        long now = 1_000;
        var liveness = new PeerLiveness(() => now);
        var peer = new Address("akka.pipe", "Peer", "localhost", 4005);
        liveness.ReportAlive(peer, 42);
        liveness.NoteAssociationClosed(peer);

        now += 60_000;
        Assert.False(liveness.CanDeclareDead(peer));
    }

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));
}
