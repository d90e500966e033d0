using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit.Abstractions;
using XStateNet.Actors.Tests.Shared;

namespace XStateNet.Actors.Transport.SharedMemory.Tests.Remoting;

/// <summary>Two actor systems in one process talking over the shared-memory transport.</summary>
public class ShmRemotingSpecs : TestKit
{
    private const int FrameLimit = 128 * 1024;
    private static readonly string RingSettings = $"akka.remote.shm {{ ring-size = 512 KiB, maximum-frame-size = {FrameLimit} }}";

    private readonly TempShmDirectory _dir;
    private ActorSystem _peer;

    private readonly string _settings;

    public ShmRemotingSpecs(ITestOutputHelper output) : this(output, RingSettings)
    {
    }

    /// <summary>The same specs with <paramref name="settings"/> (a HOCON fragment) for both systems.</summary>
    protected ShmRemotingSpecs(ITestOutputHelper output, string settings) : this(new TempShmDirectory(), output, settings)
    {
    }

    private ShmRemotingSpecs(TempShmDirectory dir, ITestOutputHelper output, string settings)
        : base(ShmNodes.Config(dir.Path, extra: settings + Prefix(dir)), "local", output)
    {
        _dir = dir;
        _settings = settings + Prefix(dir);
        _peer = StartPeer(0);
    }

    /// <summary>The ring settings every variant of these specs uses.</summary>
    protected static string Rings => RingSettings;

    [Fact]
    public async Task Systems_associate_over_shm_addresses_and_exchange_messages()
    {
        var target = await Resolve(_peer);
        Assert.Equal("akka.shm", ShmNodes.AddressOf(Sys).Protocol);
        Assert.Equal("akka.shm", target.Path.Address.Protocol);

        target.Tell("hello");
        ExpectMsg("hello");
        Assert.NotEmpty(TestSegments.Mapped(Path.GetFileName(_dir.Path)));
    }

    [Fact]
    public async Task A_payload_near_the_frame_limit_crosses_and_one_over_it_is_dropped_while_the_link_stays_up()
    {
        var target = await Resolve(_peer);
        var large = new byte[FrameLimit - 4 * 1024];
        new Random(11).NextBytes(large);

        target.Tell(large);
        var echoed = ExpectMsg<byte[]>(TimeSpan.FromSeconds(10));
        Assert.Equal(large, echoed);

        // Akka refuses it before the transport sees it, because the transport reports its MaximumPayloadBytes.
        await EventFilter.Error(contains: "Transient association error (association remains live)").ExpectOneAsync(() =>
        {
            target.Tell(new byte[FrameLimit + 1]);
            return Task.CompletedTask;
        });
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        target.Tell("still here");
        ExpectMsg("still here");
    }

    [Fact]
    public async Task DeathWatch_works_across_the_link()
    {
        var doomed = _peer.ActorOf(Props.Create(() => new Echo()), "doomed");
        var remote = await Resolve(_peer, "doomed");
        Watch(remote);

        doomed.Tell(PoisonPill.Instance);

        Assert.Equal(remote, ExpectTerminated(remote, TimeSpan.FromSeconds(10)).ActorRef);
    }

    [Fact]
    public async Task After_the_listener_restarts_on_its_address_the_systems_associate_again_and_files_are_cleaned()
    {
        var port = ShmNodes.AddressOf(_peer).Port!.Value;
        var first = await Resolve(_peer);
        Watch(first);
        first.Tell("before");
        ExpectMsg("before");

        await _peer.Terminate();
        ExpectTerminated(first, TimeSpan.FromSeconds(15));
        await AwaitAssertAsync(() => Assert.DoesNotContain(_dir.Files(), f => f.Contains($"-{port}.sock", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(5));

        _peer = StartPeer(port);
        var second = await Resolve(_peer, timeout: TimeSpan.FromSeconds(20));
        second.Tell("after");
        ExpectMsg("after");
    }

    /// <summary>This run's own file-prefix (its directory's unique name): its segments are the memfds named after it.</summary>
    private static string Prefix(TempShmDirectory dir) => $"\nakka.remote.shm.file-prefix = \"{Path.GetFileName(dir.Path)}\"";

    private ActorSystem StartPeer(int port)
    {
        var peer = ActorSystem.Create("peer", ShmNodes.Config(_dir.Path, port, _settings));
        peer.ActorOf(Props.Create(() => new Echo()), "target");
        return peer;
    }

    private async Task<IActorRef> Resolve(ActorSystem peer, string name = "target", TimeSpan? timeout = null)
    {
        var path = new RootActorPath(ShmNodes.AddressOf(peer)) / "user" / name;
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            try
            {
                var identity = await Sys.ActorSelection(path).Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(2));
                if (identity.Subject is not null) return identity.Subject;
            }
            catch (AskTimeoutException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline) throw new InvalidOperationException($"{path} did not answer Identify");
            await Task.Delay(200);
        }
    }

    protected override void AfterAll()
    {
        try
        {
            _peer.Terminate().Wait(TimeSpan.FromSeconds(10));
            base.AfterAll();
        }
        finally
        {
            _dir.Dispose();
        }
    }

}

/// <summary>The remoting specs with each ring read only by its association's own thread (no hot reads).</summary>
public sealed class ShmRemotingWithoutHotReadsSpecs(ITestOutputHelper output)
    : ShmRemotingSpecs(output, Rings + "\nakka.remote.shm.hot-read-window = 0");
