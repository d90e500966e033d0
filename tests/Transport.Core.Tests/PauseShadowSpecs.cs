using System.Diagnostics;
using Akka.Actor;
using Akka.Remote;

namespace XStateNet.Actors.Transport.Tests;

/// <summary>
/// After this process was paused longer than the failure detector allows, every peer's last heartbeat looks that old:
/// the node must not declare its peers dead for it (they were alive; it was the one gone).
/// </summary>
public sealed class PauseShadowSpecs
{
    private static readonly long Second = Stopwatch.Frequency;
    private static readonly TimeSpan Allowance = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Shadow = TimeSpan.FromSeconds(6);
    private static readonly Address Peer = new("akka.shm", "Peer", "localhost", 21001);

    [Fact]
    public void Regular_ticks_cast_no_shadow()
    {
        var clock = new PauseClock(0);
        for (var t = 1; t <= 50; t++) Assert.True(clock.Tick(t * Second / 10) < TimeSpan.FromSeconds(1));
        Assert.False(clock.InPauseShadow(5 * Second + Second / 20, Allowance, Shadow));
    }

    [Fact]
    public void A_process_that_has_not_ticked_for_longer_than_the_allowance_is_in_the_shadow_before_its_watcher_runs()
    {
        var clock = new PauseClock(0);
        clock.Tick(Second);
        Assert.True(clock.InPauseShadow(5 * Second, Allowance, Shadow)); // resumed: another thread got the CPU first
    }

    [Fact]
    public void A_long_pause_casts_a_shadow_that_ends()
    {
        var clock = new PauseClock(0);
        clock.Tick(Second);
        Assert.Equal(TimeSpan.FromSeconds(30), clock.Tick(31 * Second)); // SIGSTOP for 30 s
        Assert.True(clock.InPauseShadow(32 * Second, Allowance, Shadow));
        for (var t = 311; t <= 360; t++) clock.Tick(t * Second / 10); // running again, ticking every 0.1 s
        Assert.True(clock.InPauseShadow(36 * Second, Allowance, Shadow)); // 5 s after: still within 6 s
        for (var t = 361; t <= 380; t++) clock.Tick(t * Second / 10);
        Assert.False(clock.InPauseShadow(38 * Second, Allowance, Shadow));
    }

    [Fact]
    public void A_pause_shorter_than_the_allowance_casts_no_shadow()
    {
        var clock = new PauseClock(0);
        clock.Tick(2 * Second); // 2 s: a long GC, within the allowance
        Assert.False(clock.InPauseShadow(2 * Second + Second / 10, Allowance, Shadow));
    }

    [Fact]
    public void In_the_shadow_the_failure_detector_declares_no_peer_dead()
    {
        var shadow = true;
        var registry = new LivenessAwareFailureDetectorRegistry(new NeverAvailable(), new PeerLiveness(() => 0), Allowance, (_, _) => shadow);

        Assert.True(registry.IsAvailable(Peer));
        shadow = false;
        Assert.False(registry.IsAvailable(Peer));
    }
}
