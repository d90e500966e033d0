using System.Diagnostics;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit.Abstractions;
using XStateNet.Actors.Tests.Shared;

namespace XStateNet.Actors.Transport.SharedMemory.Tests.Remoting;

/// <summary>
/// A peer in another process, with default settings: paused for two seconds it stays alive; killed with kill -9 its
/// watched actor is Terminated quickly and the association's segment is released (a memfd: nothing is left anywhere).
/// </summary>
public sealed class KilledPeerSpecs : TestKit
{
    private readonly TempShmDirectory _dir;
    private readonly ITestOutputHelper _output;

    public KilledPeerSpecs(ITestOutputHelper output) : this(new TempShmDirectory(), output)
    {
    }

    private KilledPeerSpecs(TempShmDirectory dir, ITestOutputHelper output)
        : base(ShmNodes.Config(dir.Path, extra: $"akka.remote.shm.file-prefix = \"{Prefix(dir)}\""), "watcher", output)
    {
        _dir = dir;
        _output = output;
    }

    [Fact]
    public async Task A_paused_peer_survives_two_seconds_and_a_killed_one_is_terminated_and_cleaned_up()
    {
        using var meter = new Contract.MeterCapture(Telemetry.TransportMetrics.MeterName);
        using var peer = PeerProcess.Start(_dir.Path, "child", Prefix(_dir));
        var address = await peer.ReadyAsync(TimeSpan.FromSeconds(60));
        var identity = await Sys.ActorSelection($"{address}/user/target").Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(20));
        var target = identity.Subject ?? throw new InvalidOperationException("the child's target did not answer");
        Watch(target);
        target.Tell("ping");
        ExpectMsg("ping");
        Assert.Single(SegmentFiles());

        peer.Pause();
        await Task.Delay(TimeSpan.FromSeconds(2));
        peer.Resume();
        target.Tell("still alive");
        ExpectMsg("still alive", TimeSpan.FromSeconds(10)); // a Terminated here would fail this expectation
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        var clock = Stopwatch.StartNew();
        peer.Kill();
        ExpectTerminated(target, TimeSpan.FromSeconds(10));
        var elapsed = clock.Elapsed;
        _output.WriteLine($"kill -9 -> Terminated in {elapsed.TotalMilliseconds:F0} ms (issue 5 asks for < 1000 ms with defaults)");
        // Generous for a loaded CI machine, yet below what Akka's own watch failure detector needs (its 4 s pause):
        // passing means the transport's pid watchdog, not the heartbeat detector, found the death.
        Assert.True(elapsed < TimeSpan.FromSeconds(3), $"Terminated took {elapsed.TotalMilliseconds:F0} ms");

        // The verdict is metered: one "exited" for this peer, with how long after its last heartbeat it came.
        var verdicts = meter.Of(Telemetry.TransportMetrics.PeerVerdicts, Telemetry.TransportMetrics.TransportTag, "shm")
            .Where(r => ((string)r.Tags[Telemetry.TransportMetrics.PeerTag]!).EndsWith(":" + Address.Parse(address).Port, StringComparison.Ordinal)).ToArray();
        Assert.Equal("exited", Assert.Single(verdicts).Tags[Telemetry.TransportMetrics.VerdictTag]);
        Assert.Single(meter.Of(Telemetry.TransportMetrics.DetectionDuration, Telemetry.TransportMetrics.PeerTag,
            (string)verdicts[0].Tags[Telemetry.TransportMetrics.PeerTag]!));

        await AwaitAssertAsync(() => Assert.Empty(SegmentFiles()), TimeSpan.FromSeconds(5));
    }

    /// <summary>The segments this process maps (ours and the child's both start with this test's prefix).</summary>
    private string[] SegmentFiles() => TestSegments.Mapped(Prefix(_dir));

    private static string Prefix(TempShmDirectory dir) => Path.GetFileName(dir.Path);

    protected override void AfterAll()
    {
        try
        {
            base.AfterAll();
        }
        finally
        {
            _dir.Dispose();
        }
    }
}
