using Akka.Remote.Transport;
using Google.Protobuf;

namespace XStateNet.Actors.Transport.SharedMemory.Tests.Remoting;

/// <summary>Two nodes that associate with each other both ways at once (issue 13, item 1).</summary>
public sealed partial class ShmTransportSpecs
{
    private const string FastWatchdog = "heartbeat-interval = 50ms, watchdog-interval = 50ms, heartbeat-timeout = 2s";

    [Fact]
    public async Task Two_associations_with_the_same_addresses_are_both_watched_and_closing_one_keeps_the_other_alive()
    {
        var (a, aAddress, aInbound) = await Start(FastWatchdog);
        var (b, bAddress, bInbound) = await Start(FastWatchdog);
        var aToB = await a.Associate(bAddress);
        var bFromA = await bInbound.Next();
        var bToA = await b.Associate(aAddress);
        var aFromB = await aInbound.Next();

        // Akka's AssociationHandle equals any other with the same two addresses: the transport must not rely on that.
        Assert.Equal(aToB.LocalAddress, aFromB.LocalAddress);
        Assert.Equal(aToB.RemoteAddress, aFromB.RemoteAddress);
        Assert.Equal(2, a.OpenSegments.Count);
        Assert.Equal(2, b.OpenSegments.Count);

        var handles = new[] { aToB, bFromA, bToA, aFromB };
        var collectors = handles.Select(_ => new Collector()).ToArray();
        for (var i = 0; i < handles.Length; i++) handles[i].ReadHandlerSource.SetResult(collectors[i]);

        // Two heartbeat timeouts: every association is heartbeated by its own side.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.All(collectors, c => Assert.Equal(0, c.PendingEvents));
        await AssertCarries(aToB, collectors[1]);
        await AssertCarries(bToA, collectors[3]);
        await AssertCarries(aFromB, collectors[2]);

        // Closing one of the twins leaves the other watched and heartbeated.
        aToB.Disassociate("test", _system.Log);
        Assert.IsType<Disassociated>(await collectors[1].NextEvent());
        Assert.Single(a.OpenSegments);
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Equal(0, collectors[2].PendingEvents);
        Assert.Equal(0, collectors[3].PendingEvents);
        await AssertCarries(bToA, collectors[3]);
        await AssertCarries(aFromB, collectors[2]);
        Assert.Single(a.OpenSegments);
        Assert.Single(b.OpenSegments);
    }

    private static async Task AssertCarries(AssociationHandle from, Collector to)
    {
        var text = Guid.NewGuid().ToString("N");
        Assert.True(from.Write(ByteString.CopyFromUtf8(text)));
        Assert.Equal(text, await to.NextPayload());
    }
}

/// <summary>A live association whose peer writes random bytes into its ring (issue 13, item 9).</summary>
public sealed partial class ShmTransportSpecs
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Random_bytes_written_by_the_peer_into_its_ring_disassociate_it_with_an_error(int seed)
    {
        var (_, aAddress, aInbound) = await Start("sleep-timeout = 50ms");
        var (b, _, _) = await Start();
        var outbound = (ShmAssociationHandle)await b.Associate(aAddress);
        var inbound = await aInbound.Next();
        var collector = new Collector();
        inbound.ReadHandlerSource.SetResult(collector);
        Assert.True(outbound.Write(ByteString.CopyFromUtf8("fine")));
        Assert.Equal("fine", await collector.NextPayload());

        // Everything after the 16-byte "fine" record, up to the end of ring 0: noise with a non-zero first word.
        var noise = new byte[4 * 1024 * 1024 - 16];
        new Random(seed).NextBytes(noise);
        noise[0] |= 1;
        TestSegments.Patch(outbound.SegmentDescriptor, SharedMemory.Ring.SegmentLayout.HeaderBytes + 16, noise);

        Assert.IsType<Disassociated>(await collector.NextEvent());
        await AssertNoSegmentLeftOnTheReadingSide(inbound);
    }

    private static async Task AssertNoSegmentLeftOnTheReadingSide(AssociationHandle inbound)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (inbound.Write(ByteString.CopyFromUtf8("x")) && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.False(inbound.Write(ByteString.CopyFromUtf8("after")));
    }
}
