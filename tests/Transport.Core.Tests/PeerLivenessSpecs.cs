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

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));
}
