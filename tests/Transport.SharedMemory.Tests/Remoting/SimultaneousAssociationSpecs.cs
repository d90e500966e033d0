using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit.Abstractions;
using XStateNet.Actors.Tests.Shared;

namespace XStateNet.Actors.Transport.SharedMemory.Tests.Remoting;

/// <summary>
/// Two systems that start sending to each other at the same instant open two associations between the same two
/// addresses (one each way). Both must be heartbeated, or the peer declares the node gone and messages are lost
/// (issue 13, item 1: 23,016 of 672,000 messages lost among 8 nodes).
/// </summary>
public sealed class SimultaneousAssociationSpecs : TestKit
{
    private const int Messages = 250;
    private const string FastWatchdog =
        "akka.remote.shm { heartbeat-interval = 50ms, watchdog-interval = 50ms, heartbeat-timeout = 2s }";

    private readonly TempShmDirectory _dir;
    private readonly ActorSystem _right;

    public SimultaneousAssociationSpecs(ITestOutputHelper output) : this(new TempShmDirectory(), output)
    {
    }

    private SimultaneousAssociationSpecs(TempShmDirectory dir, ITestOutputHelper output)
        : base(ShmNodes.Config(dir.Path, extra: FastWatchdog), "left", output)
    {
        _dir = dir;
        _right = ActorSystem.Create("right", ShmNodes.Config(dir.Path, extra: FastWatchdog));
    }

    [Fact]
    public async Task Nodes_that_associate_with_each_other_at_once_lose_nothing_and_nobody_is_declared_gone()
    {
        var leftSink = Sys.ActorOf(Props.Create(() => new Sink()), "sink");
        var rightSink = _right.ActorOf(Props.Create(() => new Sink()), "sink");
        var toRight = Sys.ActorSelection(new RootActorPath(ShmNodes.AddressOf(_right)) / "user" / "sink");
        var toLeft = _right.ActorSelection(new RootActorPath(ShmNodes.AddressOf(Sys)) / "user" / "sink");

        // Both directions start together (no association exists yet), then keep a steady pace for several heartbeat
        // timeouts: an association nobody heartbeats would be declared dead within the first one.
        using var start = new Barrier(2);
        var sending = new[]
        {
            Task.Run(() => Send(toRight, start)),
            Task.Run(() => Send(toLeft, start)),
        };
        await Task.WhenAll(sending);

        await AwaitAssertAsync(async () =>
        {
            Assert.Equal(Messages, await leftSink.Ask<int>(Sink.Count.Instance, TimeSpan.FromSeconds(3)));
            Assert.Equal(Messages, await rightSink.Ask<int>(Sink.Count.Instance, TimeSpan.FromSeconds(3)));
        }, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(250));
        Assert.Empty(Transport.PeerLiveness.For(Sys).GoneReason(ShmNodes.AddressOf(_right)) ?? "");
        Assert.Empty(Transport.PeerLiveness.For(_right).GoneReason(ShmNodes.AddressOf(Sys)) ?? "");
    }

    private static void Send(ActorSelection to, Barrier start)
    {
        start.SignalAndWait();
        for (var i = 0; i < Messages; i++)
        {
            to.Tell(i);
            Thread.Sleep(20);
        }
    }

    protected override void AfterAll()
    {
        try
        {
            _right.Terminate().Wait(TimeSpan.FromSeconds(10));
            base.AfterAll();
        }
        finally
        {
            _dir.Dispose();
        }
    }

    private sealed class Sink : ReceiveActor
    {
        public Sink()
        {
            var seen = new HashSet<int>();
            Receive<int>(n => seen.Add(n));
            Receive<Count>(_ => Sender.Tell(seen.Count));
        }

        public sealed class Count
        {
            public static readonly Count Instance = new();
        }
    }
}
