using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Akka.Remote.Transport;
using XStateNet.Actors.Transport.Pipes.Framing;
using XStateNet.Actors.Transport.Pipes.Tests.Support;

namespace XStateNet.Actors.Transport.Pipes.Tests.Specs;

/// <summary>
/// Akka's <see cref="AssociationHandle"/> equals any other with the same local and remote address. Two connections
/// between the same pair of nodes (both associating at once) give two such equal handles: the transport must track,
/// and close, each on its own.
/// </summary>
public sealed class ConnectionIdentitySpecs : IDisposable
{
    private readonly string _prefix = PipeNodes.UniquePrefix();

    [Fact]
    public async Task Two_connections_with_equal_handles_are_both_tracked_and_closing_one_keeps_the_other()
    {
        var system = ActorSystem.Create("Local", "akka.loglevel = WARNING");
        var transport = new PipeTransport(system, PipeNodes.Config(_prefix).GetConfig("akka.remote.pipe"));
        try
        {
            var (_, listenerPromise) = await transport.Listen();
            var inbound = new BlockingCollection<AssociationHandle>();
            listenerPromise.SetResult(new Listener(e => inbound.Add(((InboundAssociation)e).Association)));
            var hello = new Hello(Environment.ProcessId, new Address("pipe", "Twin", "localhost", 7), 64_000).Encode();

            using var first = RawClient.Connect(PipeNodes.EndpointOf(_prefix, transport.LocalAddress!.Port!.Value).SocketPath!);
            await first.SendAsync(hello);
            using var second = RawClient.Connect(PipeNodes.EndpointOf(_prefix, transport.LocalAddress!.Port!.Value).SocketPath!);
            await second.SendAsync(hello);
            Assert.True(inbound.TryTake(out var one, TimeSpan.FromSeconds(10)));
            Assert.True(inbound.TryTake(out var two, TimeSpan.FromSeconds(10)));
            foreach (var handle in new[] { one!, two! }) handle.ReadHandlerSource.SetResult(new Listener(_ => { }));

            Assert.Equal(one, two);   // Akka's equality: same addresses
            Assert.NotSame(one, two);
            Assert.Equal(2, transport.ConnectionCount);

            first.Dispose();
            await WaitUntilAsync(() => transport.ConnectionCount == 1);
            await Task.Delay(300);
            Assert.Equal(1, transport.ConnectionCount);
            Assert.False((await RawClient.DrainAsync(second, TimeSpan.FromMilliseconds(300))).Closed, "the other connection must stay open");
        }
        finally
        {
            await transport.Shutdown();
            await system.Terminate();
        }
    }

    public void Dispose() => PipeNodes.RemoveLeftovers(_prefix);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(20);
        }
    }

    private sealed class Listener(Action<object> notify) : IAssociationEventListener, IHandleEventListener
    {
        public void Notify(IAssociationEvent ev) => notify(ev);

        public void Notify(IHandleEvent ev) => notify(ev);
    }
}
