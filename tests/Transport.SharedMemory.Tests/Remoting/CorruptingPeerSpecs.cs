using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit.Abstractions;
using XStateNet.Actors.Tests.Shared;

namespace XStateNet.Actors.Transport.SharedMemory.Tests.Remoting;

/// <summary>
/// A peer process that, once the association is up, tries to truncate the segment, claims a bigger ring in its
/// header and fills its ring with impossible record lengths: this node logs it, disassociates that peer, and keeps
/// serving the others (issue 13, item 5). Before sealed segments, the truncation alone killed the reader with SIGBUS.
/// </summary>
public sealed class CorruptingPeerSpecs : TestKit
{
    private readonly TempShmDirectory _dir;
    private readonly ITestOutputHelper _output;
    private readonly ActorSystem _other;

    public CorruptingPeerSpecs(ITestOutputHelper output) : this(new TempShmDirectory(), output)
    {
    }

    private CorruptingPeerSpecs(TempShmDirectory dir, ITestOutputHelper output)
        : base(ShmNodes.Config(dir.Path, extra: PrefixSetting(dir)), "victim", output)
    {
        _dir = dir;
        _output = output;
        _other = ActorSystem.Create("other", ShmNodes.Config(dir.Path, extra: PrefixSetting(dir)));
        _other.ActorOf(Props.Create(() => new Echo()), "target");
    }

    [Fact]
    public async Task A_peer_that_truncates_and_rewrites_its_segment_is_disassociated_and_the_node_keeps_serving_others()
    {
        using var peer = PeerProcess.Start(_dir.Path, "hostile", Path.GetFileName(_dir.Path));
        var address = await peer.ReadyAsync(TimeSpan.FromSeconds(60));
        var hostile = await Resolve(Address.Parse(address));
        var other = await Resolve(ShmNodes.AddressOf(_other));
        hostile.Tell("ping");
        ExpectMsg("ping");
        other.Tell("ping");
        ExpectMsg("ping");

        string? report = null;
        await EventFilter.Error(contains: "is corrupt").ExpectOneAsync(TimeSpan.FromSeconds(20), async () =>
        {
            peer.Command("corrupt");
            report = await peer.LineAsync("CORRUPTED ", TimeSpan.FromSeconds(20));
        });
        _output.WriteLine($"the peer reports: {report}");
        Assert.Contains("truncate refused", report);
        Assert.DoesNotContain(": truncated", report);

        // Still serving: the other peer's association carries traffic, and a new one can be made.
        other.Tell("after");
        ExpectMsg("after", TimeSpan.FromSeconds(10));
        Sys.ActorOf(Props.Create(() => new Echo()), "target");
        var third = ActorSystem.Create("third", ShmNodes.Config(_dir.Path, extra: PrefixSetting(_dir)));
        try
        {
            var fromThird = await third.ActorSelection(new RootActorPath(ShmNodes.AddressOf(Sys)) / "user" / "target")
                .Ask<ActorIdentity>(new Identify(1), TimeSpan.FromSeconds(10));
            Assert.NotNull(fromThird.Subject);
            Assert.Equal("from a third", await fromThird.Subject.Ask<string>("from a third", TimeSpan.FromSeconds(10)));
        }
        finally
        {
            await third.Terminate();
        }
    }

    /// <summary>A file-prefix of this run's own for every node (it names the control sockets and the segments).</summary>
    private static string PrefixSetting(TempShmDirectory dir) => $"akka.remote.shm.file-prefix = \"{Path.GetFileName(dir.Path)}\"";

    private async Task<IActorRef> Resolve(Address node)
    {
        var identity = await Sys.ActorSelection(new RootActorPath(node) / "user" / "target")
            .Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(20));
        return identity.Subject ?? throw new InvalidOperationException($"{node} did not answer");
    }

    protected override void AfterAll()
    {
        try
        {
            _other.Terminate().Wait(TimeSpan.FromSeconds(10));
            base.AfterAll();
        }
        finally
        {
            _dir.Dispose();
        }
    }
}
