using Akka.Actor;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Transport.Pipes.Framing;
using XStateNet.Actors.Transport.Pipes.Tests.Framing;
using XStateNet.Actors.Transport.Pipes.Tests.Support;
using Xunit.Abstractions;

namespace XStateNet.Actors.Transport.Pipes.Tests.Specs;

/// <summary>
/// Two nodes with different maximum-frame-size: each tells the other its limit in the hello, both record it in
/// <see cref="PayloadLimits"/>, and a payload over the smaller limit is refused by the sender with an error naming both
/// sizes, while the association stays up.
/// </summary>
public sealed class PayloadLimitSpecs : TestKit
{
    private const int SmallLimit = 32_000;
    private readonly string _prefix;
    private readonly ActorSystem _small;
    private readonly ActorSelection _echo;

    public PayloadLimitSpecs(ITestOutputHelper output) : this(PipeNodes.UniquePrefix(), output)
    {
    }

    private PayloadLimitSpecs(string prefix, ITestOutputHelper output) : base(PipeNodes.Config(prefix), "Large", output)
    {
        _prefix = prefix;
        _small = ActorSystem.Create("Small", PipeNodes.Config(prefix, extra: $"akka.remote.pipe.maximum-frame-size = {SmallLimit}b"));
        _small.ActorOf(Echo.Props(), "echo");
        _echo = Sys.ActorSelection(new RootActorPath(PipeNodes.AddressOf(_small)) / "user" / "echo");
    }

    [Fact]
    public void Each_side_records_the_smaller_limit_for_the_other_once_the_hellos_are_exchanged()
    {
        Assert.Equal(64_000, PayloadLimits.For(Sys).LimitFor(new Address("akka.pipe", "Nobody", "localhost", 1)));
        _echo.Tell("hello");
        ExpectMsg("hello", TimeSpan.FromSeconds(10));

        Assert.Equal(SmallLimit, PayloadLimits.For(Sys).LimitFor(PipeNodes.AddressOf(_small)));
        Assert.Equal(SmallLimit, PayloadLimits.For(_small).LimitFor(PipeNodes.AddressOf(Sys)));
    }

    [Fact]
    public void A_payload_over_the_peers_limit_is_refused_by_the_sender_naming_both_sizes_and_the_association_stays_up()
    {
        _echo.Tell("warm up");
        ExpectMsg("warm up", TimeSpan.FromSeconds(10));

        EventFilter.Error(contains: $"the peer accepts at most {SmallLimit} bytes").ExpectOne(() => _echo.Tell(new byte[40_000]));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        _echo.Tell("still up");
        ExpectMsg("still up", TimeSpan.FromSeconds(10));
        var under = new byte[30_000];
        _echo.Tell(under);
        Assert.Equal(under.Length, ExpectMsg<byte[]>(TimeSpan.FromSeconds(10)).Length);
    }

    [Fact]
    public async Task A_frame_over_the_receivers_limit_is_refused_naming_both_sizes()
    {
        // The raw client claims a limit of 100000 bytes; the node (64000) still refuses what is over its own.
        var path = PipeNodes.EndpointOf(_prefix, PipeNodes.AddressOf(Sys).Port!.Value).SocketPath!;
        await EventFilter.Error(contains: "frame of 70000 bytes exceeds maximum-frame-size (64000 bytes)").ExpectOneAsync(async () =>
        {
            using var raw = RawClient.Connect(path);
            await raw.SendAsync(new Hello(Environment.ProcessId, new Address("pipe", "Raw", "localhost", 1), 100_000).Encode());
            await raw.SendAsync(FrameReaderTests.Header(FrameKind.Payload, 70_000));
            await RawClient.DrainAsync(raw, TimeSpan.FromSeconds(5));
        });
    }

    [Fact]
    public async Task A_peer_speaking_the_first_hello_version_is_refused_with_a_clear_error()
    {
        var path = PipeNodes.EndpointOf(_prefix, PipeNodes.AddressOf(Sys).Port!.Value).SocketPath!;
        var oldHello = new Hello(Environment.ProcessId, new Address("pipe", "Old", "localhost", 1), 64_000).Encode();
        oldHello[FrameHeader.Size + 4] = 1;
        await EventFilter.Error(contains: "hello frame of protocol version 1, this side speaks 2").ExpectOneAsync(async () =>
        {
            using var raw = RawClient.Connect(path);
            await raw.SendAsync(oldHello);
            await RawClient.DrainAsync(raw, TimeSpan.FromSeconds(5));
        });
    }

    protected override void AfterAll()
    {
        _small.Terminate().Wait(TimeSpan.FromSeconds(10));
        base.AfterAll();
        PipeNodes.RemoveLeftovers(_prefix);
    }
}
