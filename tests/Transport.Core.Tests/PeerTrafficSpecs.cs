using Akka.Actor;
using Akka.Remote;

namespace XStateNet.Actors.Transport.Tests;

/// <summary>
/// Under a flood Akka's heartbeats queue behind the data and arrive seconds late: a peer whose bytes keep arriving
/// is not declared dead for that, and one that falls silent is judged by its heartbeats again.
/// </summary>
public sealed class PeerTrafficSpecs
{
    private static readonly TimeSpan Allowance = TimeSpan.FromSeconds(4);
    private static readonly Address Peer = new("akka.pipe", "Peer", "localhost", 21001);
    private static readonly Address TransportView = new("pipe", "Peer", "localhost", 21001);
    private static readonly Address Other = new("akka.pipe", "Peer", "localhost", 21002);
    private long _now = 1_000;

    [Fact]
    public void A_peer_heard_from_within_the_allowance_is_available_though_its_heartbeats_are_late()
    {
        var liveness = new PeerLiveness(() => _now);
        var registry = new LivenessAwareFailureDetectorRegistry(new NeverAvailable(), liveness, Allowance, (_, _) => false);
        using var traffic = liveness.TrackTraffic(TransportView);

        _now += 3_000;
        traffic.Heard();
        _now += 3_500; // 6.5 s since the association opened, 3.5 s since the last bytes
        Assert.True(liveness.HeardWithin(Peer, Allowance));
        Assert.True(registry.IsAvailable(Peer));
        Assert.False(registry.IsAvailable(Other)); // another address has its own traffic (none)

        _now += 1_000; // 4.5 s of silence: the heartbeats decide again
        Assert.False(liveness.HeardWithin(Peer, Allowance));
        Assert.False(registry.IsAvailable(Peer));
    }

    [Fact]
    public void A_closed_association_says_nothing_about_its_peer_any_more()
    {
        var liveness = new PeerLiveness(() => _now);
        var first = liveness.TrackTraffic(Peer);
        using var second = liveness.TrackTraffic(Peer);
        first.Heard();
        Assert.True(liveness.HeardWithin(Peer, Allowance));

        first.Dispose();
        _now += 5_000;
        second.Heard();
        Assert.True(liveness.HeardWithin(Peer, Allowance)); // the other association of the same address still counts
        second.Dispose();
        Assert.False(liveness.HeardWithin(Peer, Allowance));
    }

    [Fact]
    public void Traffic_never_overrules_a_peer_reported_gone()
    {
        var liveness = new PeerLiveness(() => _now);
        var registry = new LivenessAwareFailureDetectorRegistry(new NeverAvailable(), liveness, Allowance, (_, _) => false);
        using var traffic = liveness.TrackTraffic(Peer);
        traffic.Heard();
        liveness.ReportGone(Peer, 4242, "its process 4242 no longer exists");
        _now += 1_000; // past the settling time with no close from Akka
        Assert.False(registry.IsAvailable(Peer));
    }
}
