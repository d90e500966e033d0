using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using Akka.Remote.Transport;
using Google.Protobuf;

namespace XStateNet.Actors.Transport.Contract;

/// <summary>
/// What every same-host transport promises Akka, written once and run over each transport (pipes, shared memory, and
/// Akka's TCP with the same-host fast path, whose associations between the test's transports run on the ring):
/// listening, associating (and Akka's own rule that associating where nobody listens fails with
/// <see cref="InvalidAssociationException"/>), ordered delivery, the payload limit, restarting at the same address,
/// leaving no files behind, and a listener that survives bad input. A transport's test project derives one class
/// from it; what is particular to one transport stays in that project's own specs.
/// </summary>
/// <remarks>The transports are driven directly, as Akka's endpoint manager drives them, without Akka's endpoints on top.</remarks>
public abstract class TransportContractSpec : IAsyncLifetime
{
    /// <summary>The limit every transport of a test runs with (the pipe transport's lowest allowed is 32000 bytes).</summary>
    protected const int FrameLimit = 64000;

    private readonly List<Akka.Remote.Transport.Transport> _transports = [];

    /// <summary>A test whose system has only Akka's defaults (the transport's settings come with each transport).</summary>
    protected TransportContractSpec() : this("")
    {
    }

    /// <summary>A test whose system also has <paramref name="systemHocon"/> (for a transport that reads its own section from the system).</summary>
    protected TransportContractSpec(string systemHocon) =>
        System = ActorSystem.Create("contract", ConfigurationFactory.ParseString("akka.loglevel = OFF\n" + systemHocon));

    /// <summary>The system every transport of the test belongs to (Akka hands each its system).</summary>
    protected ActorSystem System { get; }

    /// <summary>Settings of a variant the whole contract runs over again (no hot reads, a small read buffer); empty for the defaults.</summary>
    protected virtual string Variant => "";

    /// <summary>The scheme of the transport's addresses (<c>pipe</c>, <c>shm</c>).</summary>
    protected abstract string Scheme { get; }

    /// <summary>
    /// A new transport of this kind with its section's <paramref name="settings"/> (HOCON) on top of the test's own
    /// directory and file prefix, so that nothing it creates is shared with another test.
    /// </summary>
    protected abstract Akka.Remote.Transport.Transport Create(string settings);

    /// <summary>The Unix socket a transport listening at <paramref name="address"/> accepts connections on.</summary>
    protected abstract string ListenerSocketOf(Address address);

    /// <summary>Everything the transports of this test have left in the file system (and, for shm, memory segments).</summary>
    protected abstract IReadOnlyList<string> Leftovers();

    [Fact]
    public async Task Listen_gives_an_address_of_the_transports_scheme_and_the_configured_limit()
    {
        var (transport, address, _) = await StartAsync();
        Assert.Equal(Scheme, address.Protocol);
        Assert.Equal("contract", address.System);
        Assert.NotNull(address.Port);
        Assert.Equal(Scheme, transport.SchemeIdentifier);
        Assert.Equal(FrameLimit, transport.MaximumPayloadBytes);
    }

    [Fact]
    public async Task Associating_with_an_address_nobody_listens_on_fails_with_InvalidAssociationException()
    {
        var (transport, _, _) = await StartAsync();
        // Port 1 is below every free-port range: nobody of this test listens there.
        var nobody = new Address(Scheme, "contract", "localhost", 1);
        await Assert.ThrowsAsync<InvalidAssociationException>(() => transport.Associate(nobody).WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Both_sides_learn_each_others_address_and_bytes_flow_both_ways()
    {
        var (outbound, inbound, toListener, toConnector) = await AssociateAsync();
        Assert.Equal(outbound.LocalAddress, inbound.RemoteAddress);
        Assert.Equal(outbound.RemoteAddress, inbound.LocalAddress);

        Assert.True(outbound.Write(ByteString.CopyFromUtf8("to the listener")));
        Assert.True(inbound.Write(ByteString.CopyFromUtf8("to the connector")));
        Assert.Equal("to the listener", (await toListener.NextPayloadAsync()).ToStringUtf8());
        Assert.Equal("to the connector", (await toConnector.NextPayloadAsync()).ToStringUtf8());
    }

    [Fact]
    public async Task A_hundred_thousand_messages_arrive_complete_and_in_order()
    {
        const int count = 100_000;
        var (outbound, _, toListener, _) = await AssociateAsync();
        var sequence = toListener.ExpectSequence(count);

        var payload = new byte[16];
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(payload, i);
            var message = ByteString.CopyFrom(payload);
            // False is Akka's "not now" (buffer or ring full): its endpoint writer retries, and so does this test.
            var spin = new SpinWait();
            while (!outbound.Write(message)) spin.SpinOnce();
        }

        // A hang guard, not a speed bound.
        Assert.Equal(count, await sequence.WaitAsync(TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public async Task A_payload_at_the_limit_arrives_whole_and_one_over_it_is_dropped_while_the_association_stays_up()
    {
        var (outbound, _, toListener, _) = await AssociateAsync();
        var atLimit = new byte[FrameLimit];
        new Random(7).NextBytes(atLimit);

        Assert.True(outbound.Write(ByteString.CopyFrom(atLimit)));
        Assert.Equal(atLimit, (await toListener.NextPayloadAsync()).ToByteArray());

        // Akka's endpoint writer never hands over more than MaximumPayloadBytes; a transport that is handed more
        // anyway drops it (logged) rather than fail the association or make the peer close it.
        outbound.Write(ByteString.CopyFrom(new byte[FrameLimit + 1]));
        Assert.True(outbound.Write(ByteString.CopyFromUtf8("after")));
        Assert.Equal("after", (await toListener.NextPayloadAsync()).ToStringUtf8());
        Assert.Equal(0, toListener.PendingEvents);
    }

    [Fact]
    public async Task Traffic_back_offs_fill_and_open_associations_are_metered_per_peer_under_the_transports_tag()
    {
        using var meter = new MeterCapture(Telemetry.TransportMetrics.MeterName);
        var (_, address, inbound) = await StartAsync();
        var (connector, _, _) = await StartAsync();
        var outbound = await connector.Associate(address).WaitAsync(TimeSpan.FromSeconds(30));
        var accepted = await inbound.NextAsync();
        outbound.ReadHandlerSource.SetResult(new Collector());

        // The listener reads nothing yet: writes fill the way to it (ring, outbound queue) until it refuses one.
        const int size = 8000;
        var payload = ByteString.CopyFrom(new byte[size]);
        var written = 0;
        while (written < 100_000 && outbound.Write(payload)) written++;
        Assert.True(written < 100_000, "the way to a peer that does not read was never full");

        var toListener = outbound.RemoteAddress.ToString();
        var toConnector = accepted.RemoteAddress.ToString();
        const string peer = Telemetry.TransportMetrics.PeerTag;
        meter.Observe();
        Assert.Equal(written, meter.Sum(Telemetry.TransportMetrics.MessagesSent, peer, toListener));
        Assert.Equal((double)written * size, meter.Sum(Telemetry.TransportMetrics.BytesSent, peer, toListener));
        Assert.True(meter.Sum(Telemetry.TransportMetrics.Backoffs, peer, toListener) >= 1);
        Assert.True(meter.Sum(Telemetry.TransportMetrics.OutboundQueued, peer, toListener) > 0);
        Assert.Equal(1, meter.Sum(Telemetry.TransportMetrics.AssociationsOpen, peer, toListener));
        Assert.All(meter.Of(Telemetry.TransportMetrics.MessagesSent, peer, toListener),
            r => Assert.Equal(Scheme, r.Tags[Telemetry.TransportMetrics.TransportTag]));

        // Once it reads, everything arrives and is counted on its side, under the connector's address.
        var reading = new Collector();
        accepted.ReadHandlerSource.SetResult(reading);
        await Task.Run(async () =>
        {
            for (var i = 0; i < written; i++) await reading.NextPayloadAsync();
        });
        Assert.True(await MeterCapture.EventuallyAsync(() => meter.Sum(Telemetry.TransportMetrics.MessagesReceived, peer, toConnector) == written));
        Assert.Equal((double)written * size, meter.Sum(Telemetry.TransportMetrics.BytesReceived, peer, toConnector));
    }

    [Fact]
    public async Task Disassociating_one_side_tells_the_other()
    {
        var (_, inbound, _, toConnector) = await AssociateAsync();
        inbound.Disassociate("contract test", System.Log);
        Assert.IsType<Disassociated>(await toConnector.NextEventAsync());
    }

    [Fact]
    public async Task A_node_restarted_at_the_same_address_is_associated_with_again()
    {
        var (first, address, _) = await StartAsync();
        await first.Shutdown();

        var (_, again, inbound) = await StartAsync($"port = {address.Port}");
        Assert.Equal(address, again);
        var (outbound, _, toListener, _) = await AssociateWithAsync(again, inbound);
        Assert.True(outbound.Write(ByteString.CopyFromUtf8("hello again")));
        Assert.Equal("hello again", (await toListener.NextPayloadAsync()).ToStringUtf8());
    }

    [Fact]
    public async Task A_second_listener_at_a_taken_address_fails_through_the_listen_task()
    {
        var (_, address, _) = await StartAsync();
        var second = Track(Create($"port = {address.Port}"));
        Task<(Address, TaskCompletionSource<IAssociationEventListener>)>? listening = null;
        var thrown = Record.Exception(() => { listening = second.Listen(); });
        Assert.Null(thrown); // Akka's endpoint manager needs a faulted task, never a throw
        await Assert.ThrowsAnyAsync<Exception>(() => listening!);
    }

    [Fact]
    public async Task Nothing_is_left_behind_after_both_sides_shut_down()
    {
        var (outbound, inbound, toListener, _) = await AssociateAsync();
        Assert.True(outbound.Write(ByteString.CopyFromUtf8("one")));
        Assert.Equal("one", (await toListener.NextPayloadAsync()).ToStringUtf8());
        Assert.NotEmpty(Leftovers());

        foreach (var transport in _transports) await transport.Shutdown();
        await EventuallyAsync(() => Leftovers().Count == 0);
        Assert.Empty(Leftovers());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(64)]
    [InlineData(4096)]
    public async Task Garbage_on_the_listeners_socket_is_refused_and_the_listener_keeps_serving(int length)
    {
        var (_, address, inbound) = await StartAsync();
        var garbage = new byte[length];
        new Random(length).NextBytes(garbage);
        for (var i = 0; i < 3; i++)
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(ListenerSocketOf(address)));
            if (length > 0) await socket.SendAsync(garbage);
            socket.Shutdown(SocketShutdown.Send);
            // The listener answers with a refusal or just closes (a reset when it closes with our bytes unread); either
            // way this connection ends, and nothing else does.
            var buffer = new byte[1024];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
                {
                }
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
            }
        }

        var (outbound, _, toListener, _) = await AssociateWithAsync(address, inbound);
        Assert.True(outbound.Write(ByteString.CopyFromUtf8("still serving")));
        Assert.Equal("still serving", (await toListener.NextPayloadAsync()).ToStringUtf8());
    }

    /// <summary>A listening transport with Akka's association listener registered.</summary>
    protected async Task<(Akka.Remote.Transport.Transport Transport, Address Address, InboundQueue Inbound)> StartAsync(string settings = "")
    {
        var transport = Track(Create($"maximum-frame-size = {FrameLimit}b\n{Variant}\n{settings}"));
        var (address, promise) = await transport.Listen().WaitAsync(TimeSpan.FromSeconds(30));
        var inbound = new InboundQueue();
        promise.SetResult(inbound);
        return (transport, address, inbound);
    }

    /// <summary>Two transports, one association between them, Akka's read handlers registered on both ends.</summary>
    protected async Task<(AssociationHandle Outbound, AssociationHandle Inbound, Collector ToListener, Collector ToConnector)> AssociateAsync()
    {
        var (_, address, inbound) = await StartAsync();
        return await AssociateWithAsync(address, inbound);
    }

    /// <summary>A new transport associated with the one listening at <paramref name="address"/>; read handlers registered on both ends.</summary>
    protected async Task<(AssociationHandle Outbound, AssociationHandle Inbound, Collector ToListener, Collector ToConnector)> AssociateWithAsync(
        Address address, InboundQueue inbound)
    {
        var (connector, _, _) = await StartAsync();
        var outbound = await connector.Associate(address).WaitAsync(TimeSpan.FromSeconds(30));
        var accepted = await inbound.NextAsync();
        var toListener = new Collector();
        var toConnector = new Collector();
        accepted.ReadHandlerSource.SetResult(toListener);
        outbound.ReadHandlerSource.SetResult(toConnector);
        return (outbound, accepted, toListener, toConnector);
    }

    private Akka.Remote.Transport.Transport Track(Akka.Remote.Transport.Transport transport)
    {
        _transports.Add(transport);
        return transport;
    }

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(20);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var transport in _transports)
        {
            try
            {
                await transport.Shutdown().WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (Exception)
            {
                // A transport that failed to listen has nothing to shut down; the test has already said what failed.
            }
        }

        await System.Terminate();
    }

    /// <summary>Akka's association listener: collects inbound associations.</summary>
    protected sealed class InboundQueue : IAssociationEventListener
    {
        private readonly BlockingCollection<AssociationHandle> _handles = new();

        public void Notify(IAssociationEvent ev)
        {
            if (ev is InboundAssociation inbound) _handles.Add(inbound.Association);
        }

        public Task<AssociationHandle> NextAsync() =>
            Task.Run(() => _handles.TryTake(out var handle, TimeSpan.FromSeconds(30))
                ? handle
                : throw new TimeoutException("no inbound association"));
    }

    /// <summary>Akka's read handler of one end: collects payloads and other events, or checks a numbered sequence.</summary>
    protected sealed class Collector : IHandleEventListener
    {
        private readonly BlockingCollection<ByteString> _payloads = new();
        private readonly BlockingCollection<IHandleEvent> _others = new();
        private TaskCompletionSource<int>? _sequence;
        private int _expected;
        private int _sequenceLength;

        public int PendingEvents => _others.Count;

        /// <summary>
        /// From now on payloads must be 0, 1, 2, ... (little-endian in their first four bytes); the task completes with
        /// <paramref name="count"/> once all have arrived, or fails at the first one out of order.
        /// </summary>
        public Task<int> ExpectSequence(int count)
        {
            _sequenceLength = count;
            _sequence = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _sequence.Task;
        }

        public void Notify(IHandleEvent ev)
        {
            if (ev is not InboundPayload payload)
            {
                _others.Add(ev);
                return;
            }

            if (_sequence is null)
            {
                _payloads.Add(payload.Payload);
                return;
            }

            // One reader per association delivers in order: no lock needed, and none taken on this hot path.
            var number = BinaryPrimitives.ReadInt32LittleEndian(payload.Payload.Span);
            if (number != _expected)
            {
                _sequence.TrySetException(new InvalidOperationException($"message {number} arrived where {_expected} was due"));
                return;
            }

            if (++_expected == _sequenceLength) _sequence.TrySetResult(_expected);
        }

        public Task<ByteString> NextPayloadAsync() =>
            Task.Run(() => _payloads.TryTake(out var payload, TimeSpan.FromSeconds(30))
                ? payload
                : throw new TimeoutException("no payload"));

        public Task<IHandleEvent> NextEventAsync() =>
            Task.Run(() => _others.TryTake(out var ev, TimeSpan.FromSeconds(30))
                ? ev
                : throw new TimeoutException("no event"));
    }
}
