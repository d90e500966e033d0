using Akka.Actor;

namespace XStateNet.Actors.Transport.Tests;

public sealed class PayloadLimitsSpecs
{
    private static readonly Address Peer = new("akka.pipe", "Peer", "localhost", 21001);

    [Fact]
    public void Nothing_reported_means_no_limit_known()
    {
        Assert.Null(new PayloadLimits().LimitFor(Peer));
    }

    [Fact]
    public void This_nodes_limit_for_the_scheme_applies_to_every_peer_on_it_with_or_without_akka_prefix()
    {
        var limits = new PayloadLimits();
        limits.ReportLocal("pipe", 1_000_000);
        limits.ReportLocal("akka.shm", 500_000);

        Assert.Equal(1_000_000, limits.LimitFor(Peer));
        Assert.Equal(500_000, limits.LimitFor(new Address("akka.shm", "Other", "localhost", 5)));
        Assert.Null(limits.LimitFor(new Address("akka.tcp", "Other", "127.0.0.1", 5)));
    }

    [Fact]
    public void Every_report_changes_the_version_so_a_sender_that_keeps_limits_asks_again()
    {
        var limits = new PayloadLimits();
        var seen = new HashSet<int> { limits.Version };

        limits.ReportLocal("pipe", 1_000_000);
        Assert.True(seen.Add(limits.Version), "a local report left the version as it was");
        limits.ReportPeer(Peer, 64_000);
        Assert.True(seen.Add(limits.Version), "a peer's report left the version as it was");
        limits.ReportPeer(Peer, 64_000);
        Assert.True(seen.Add(limits.Version), "the same report again left the version as it was");
        Assert.Equal(64_000, limits.LimitFor(Peer));
    }

    [Fact]
    public void The_smaller_of_ours_and_the_peers_wins_whichever_is_smaller()
    {
        var limits = new PayloadLimits();
        limits.ReportLocal("pipe", 1_000_000);
        limits.ReportPeer(new Address("pipe", "Peer", "localhost", 21001), 64_000); // as the transport sees it

        Assert.Equal(64_000, limits.LimitFor(Peer)); // as Akka sees it
        Assert.Equal(1_000_000, limits.LimitFor(new Address("akka.pipe", "Peer", "localhost", 21002)));

        limits.ReportPeer(Peer, 4_000_000);
        Assert.Equal(1_000_000, limits.LimitFor(Peer));
    }

    [Fact]
    public void A_peer_known_only_by_its_own_announcement_is_limited_by_it()
    {
        var limits = new PayloadLimits();
        limits.ReportPeer(Peer, 32_000);
        Assert.Equal(32_000, limits.LimitFor(Peer));
    }
}
