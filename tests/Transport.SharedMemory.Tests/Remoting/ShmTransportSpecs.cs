using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Configuration;
using Akka.Remote.Transport;
using Google.Protobuf;
using XStateNet.Actors.Transport.SharedMemory.Ring;
using XStateNet.Actors.Tests.Shared;

namespace XStateNet.Actors.Transport.SharedMemory.Tests.Remoting;

/// <summary>The transport on its own (no Akka endpoints): association set-up, refusals, bad input, leftovers, settings.</summary>
public sealed partial class ShmTransportSpecs : IAsyncLifetime
{
    private readonly TempShmDirectory _dir = new();
    // Each test's own file-prefix: its segments are the memfds of this process whose names start with it.
    private readonly string _prefix = TestSegments.UniqueName();
    private readonly ActorSystem _system = ActorSystem.Create("spi", "akka.loglevel = OFF");
    private readonly List<ShmTransport> _transports = [];

    [Theory]
    [InlineData("futex")]
    [InlineData("sleep")]
    [InlineData("spin")]
    public async Task Two_transports_associate_and_carry_bytes_both_ways(string idleStrategy)
    {
        var (a, aAddress, aInbound) = await Start($"idle-strategy = {idleStrategy}");
        var (b, _, _) = await Start($"idle-strategy = {idleStrategy}");

        var outbound = await b.Associate(aAddress);
        var inbound = await aInbound.Next();
        Assert.Equal(outbound.LocalAddress, inbound.RemoteAddress); // the listener learns the connector's own address
        var toA = new Collector();
        var toB = new Collector();
        inbound.ReadHandlerSource.SetResult(toA);
        outbound.ReadHandlerSource.SetResult(toB);

        Assert.True(outbound.Write(ByteString.CopyFromUtf8("to a")));
        Assert.True(inbound.Write(ByteString.CopyFromUtf8("to b")));

        Assert.Equal("to a", await toA.NextPayload());
        Assert.Equal("to b", await toB.NextPayload());
        Assert.Equal(1 << 20, a.MaximumPayloadBytes);

        Assert.Equal(2, TestSegments.Mapped(_prefix).Length); // one segment, mapped by both sides

        inbound.Disassociate("test", _system.Log);
        Assert.IsType<Disassociated>(await toB.NextEvent());
        Assert.False(inbound.Write(ByteString.CopyFromUtf8("after close")));
        await AssertNoSegmentLeft();
    }

    [Fact]
    public async Task A_corrupt_record_in_a_live_ring_disassociates_with_an_error_instead_of_reading_past_it()
    {
        var (_, aAddress, aInbound) = await Start("sleep-timeout = 50ms");
        var (b, _, _) = await Start();
        var outbound = (ShmAssociationHandle)await b.Associate(aAddress);
        var inbound = await aInbound.Next();
        var collector = new Collector();
        inbound.ReadHandlerSource.SetResult(collector);
        Assert.True(outbound.Write(ByteString.CopyFromUtf8("fine")));
        Assert.Equal("fine", await collector.NextPayload());

        // The next record header of ring 0 (after the 16-byte "fine" record): a length that runs past the ring.
        TestSegments.Patch(outbound.SegmentDescriptor, SegmentLayout.HeaderBytes + 16, BitConverter.GetBytes(int.MaxValue));

        Assert.IsType<Disassociated>(await collector.NextEvent());
    }

    [Fact]
    public async Task A_control_socket_nobody_listens_on_is_removed_at_start()
    {
        var stale = _dir.File($"{_prefix}-localhost-4321.sock");
        StaleSocket.Leave(stale);

        Assert.True(File.Exists(stale));
        await Start();
        Assert.False(File.Exists(stale));
    }

    [Fact]
    public async Task A_full_ring_makes_Write_return_false_until_the_reader_drains()
    {
        var (_, aAddress, aInbound) = await Start("ring-size = 8 KiB, maximum-frame-size = 1 KiB");
        var (b, _, _) = await Start("ring-size = 8 KiB, maximum-frame-size = 1 KiB");
        var outbound = await b.Associate(aAddress);
        var inbound = await aInbound.Next();
        var payload = ByteString.CopyFrom(new byte[1000]);

        var written = 0;
        while (outbound.Write(payload)) written++; // nobody reads yet: Akka's handler is not registered
        Assert.Equal(8, written);

        var collector = new Collector();
        inbound.ReadHandlerSource.SetResult(collector);
        await collector.WaitForCount(written);
        Assert.True(outbound.Write(payload));
    }

    [Fact]
    public async Task A_request_for_another_system_name_is_refused_and_its_segment_removed()
    {
        var (_, aAddress, _) = await Start();
        var (b, _, _) = await Start();
        var wrong = new Address("shm", "someone-else", aAddress.Host, aAddress.Port);

        var error = await Assert.ThrowsAsync<InvalidAssociationException>(() => b.Associate(wrong));
        Assert.Contains("this node is system 'spi', not 'someone-else'", error.Message);
        await AssertNoSegmentLeft();
    }

    [Fact]
    public async Task Garbage_and_foreign_files_on_the_control_socket_are_refused_and_the_listener_keeps_working()
    {
        var (_, aAddress, aInbound) = await Start();
        var socketPath = SocketOf(aAddress);

        var garbage = new byte[64];
        new Random(3).NextBytes(garbage);
        BinaryPrimitives.WriteInt32LittleEndian(garbage, 40);
        Assert.Contains("wrong magic", await RawExchange(socketPath, garbage));

        Assert.Contains("is outside 0..16384", await RawExchange(socketPath, BitConverter.GetBytes(int.MaxValue)));

        var (b, _, _) = await Start();
        using (var passwd = new FileStream("/etc/passwd", FileMode.Open, FileAccess.Read))
        {
            var request = Request((int)passwd.SafeFileHandle.DangerousGetHandle(), "passwd");
            Assert.Contains("is /etc/passwd, not a shared-memory segment (memfd)", await RawRequest(socketPath, request));
        }

        // And a real association still works.
        var outbound = await b.Associate(aAddress);
        Assert.NotNull(await aInbound.Next());
        Assert.NotNull(outbound);
    }

    [Fact]
    public async Task A_corrupt_segment_offered_by_a_peer_is_refused_with_the_reason()
    {
        var (_, aAddress, _) = await Start();
        using var corrupt = TestSegments.Raw(new byte[SegmentLayout.FileLength(4096)],
            SealedMemory.SealShrink | SealedMemory.SealGrow | SealedMemory.SealSeal);

        var reply = await RawRequest(SocketOf(aAddress), Request(corrupt.Descriptor, "zeros"));
        Assert.Contains("wrong magic number", reply);
    }

    [Theory]
    [InlineData("ring-size = 5000", "akka.remote.shm.ring-size: 5000 is not a power of two")]
    [InlineData("ring-size = 64 KiB, maximum-frame-size = 64 KiB", "akka.remote.shm.maximum-frame-size: 65536 must be between 1 and 32760")]
    [InlineData("idle-strategy = nap", "akka.remote.shm.idle-strategy: \"nap\" is not one of futex, sleep, spin")]
    [InlineData("heartbeat-timeout = 100ms", "akka.remote.shm.heartbeat-timeout")]
    [InlineData("file-prefix = \"mine-\"", "akka.remote.shm.file-prefix: is written without a trailing '-'")]
    [InlineData("file-prefix = \"a/b\"", "akka.remote.shm.file-prefix: must be a plain file-name prefix")]
    [InlineData("connection-timeout = 0s", "akka.remote.shm.connection-timeout: must be positive")]
    [InlineData("free-port-min = 30000, free-port-max = 29999", "akka.remote.shm.free-port-min: free-port-min..free-port-max must be a range")]
    [InlineData("transport-protocol = \"\"", "akka.remote.shm.transport-protocol: must not be empty")]
    [InlineData("hot-read-window = -1ms", "akka.remote.shm.hot-read-window = \"-1ms\" is not a duration")]
    [InlineData("hot-read-window = 5s", "akka.remote.shm.hot-read-window: must be between 0 and 1 s, was 5000 ms")]
    public void Invalid_settings_are_refused_with_the_key_and_the_reason(string setting, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => new ShmTransport(_system, ConfigurationFactory.ParseString(setting)));
        Assert.Contains(message, error.Message);
    }

    private async Task<(ShmTransport Transport, Address Address, InboundQueue Inbound)> Start(
        string settings = "", Func<long>? clock = null, ActorSystem? system = null)
    {
        var transport = new ShmTransport(system ?? _system, ConfigurationFactory.ParseString($$"""
            directory = "{{_dir.Path}}"
            file-prefix = "{{_prefix}}"
            {{settings}}
            """));
        if (clock is not null) transport.WatchdogClock = clock;
        _transports.Add(transport);
        var (address, promise) = await transport.Listen();
        var inbound = new InboundQueue();
        promise.SetResult(inbound);
        return (transport, address, inbound);
    }

    private string SocketOf(Address address) => _dir.File($"{_prefix}-{address.Host}-{address.Port}.sock");

    /// <summary>A well-formed request from this process (system "spi" to "spi") naming its descriptor <paramref name="fd"/>.</summary>
    private static Control.AssociateRequest Request(int fd, string name, int? declaredPid = null, long maximumFrameSize = 1 << 20) =>
        new(declaredPid ?? Environment.ProcessId, fd, name, "spi", "spi", "localhost", 1, maximumFrameSize);

    /// <summary>No segment of this test is mapped any more (they are released once both sides' readers are out).</summary>
    private async Task AssertNoSegmentLeft()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (TestSegments.Mapped(_prefix).Length > 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Empty(TestSegments.Mapped(_prefix));
        Assert.All(_transports, t => Assert.Empty(t.OpenSegments));
    }

    private static async Task<string> RawRequest(string socketPath, Control.AssociateRequest request)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        await using var stream = new NetworkStream(socket);
        await Control.ControlMessages.WriteRequestAsync(stream, request, CancellationToken.None);
        var reply = await Control.ControlMessages.ReadReplyAsync(stream, CancellationToken.None);
        Assert.False(reply.Accepted);
        return reply.Message;
    }

    private static async Task<string> RawExchange(string socketPath, byte[] bytes)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        await using var stream = new NetworkStream(socket);
        await stream.WriteAsync(bytes);
        var reply = await Control.ControlMessages.ReadReplyAsync(stream, CancellationToken.None);
        Assert.False(reply.Accepted);
        return reply.Message;
    }

    private static async Task<int> DeadPid()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await process.WaitForExitAsync();
        return process.Id;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var transport in _transports) await transport.Shutdown();
        await _system.Terminate();
        _dir.Dispose();
    }

    /// <summary>
    /// A socket file with nobody behind it, as a killed node leaves one. .NET's Socket removes the file when disposed,
    /// so this binds and closes through libc.
    /// </summary>
    private static unsafe partial class StaleSocket
    {
        public static void Leave(string path)
        {
            var fd = Socket(1 /* AF_UNIX */, 1 /* SOCK_STREAM */, 0);
            Assert.True(fd >= 0);
            var address = stackalloc byte[110];
            *(ushort*)address = 1;
            var bytes = System.Text.Encoding.UTF8.GetBytes(path);
            Assert.True(bytes.Length < 108);
            bytes.CopyTo(new Span<byte>(address + 2, 108));
            Assert.Equal(0, Bind(fd, address, 110));
            Assert.Equal(0, Close(fd));
        }

        [LibraryImport("libc", EntryPoint = "socket")]
        private static partial int Socket(int domain, int type, int protocol);

        [LibraryImport("libc", EntryPoint = "bind")]
        private static partial int Bind(int fd, byte* address, int length);

        [LibraryImport("libc", EntryPoint = "close")]
        private static partial int Close(int fd);
    }

    private sealed class InboundQueue : IAssociationEventListener
    {
        private readonly BlockingCollection<AssociationHandle> _handles = new();

        public void Notify(IAssociationEvent ev)
        {
            if (ev is InboundAssociation inbound) _handles.Add(inbound.Association);
        }

        public Task<AssociationHandle> Next() =>
            Task.Run(() => _handles.TryTake(out var handle, TimeSpan.FromSeconds(10))
                ? handle
                : throw new TimeoutException("no inbound association"));
    }

    private sealed class Collector : IHandleEventListener
    {
        private readonly BlockingCollection<string> _payloads = new();
        private readonly BlockingCollection<IHandleEvent> _others = new();
        private int _count;

        /// <summary>Events other than payloads (a Disassociated) received so far and not yet taken.</summary>
        public int PendingEvents => _others.Count;

        public void Notify(IHandleEvent ev)
        {
            if (ev is not InboundPayload payload)
            {
                _others.Add(ev);
                return;
            }

            Interlocked.Increment(ref _count);
            _payloads.Add(payload.Payload.ToStringUtf8());
        }

        public Task<IHandleEvent> NextEvent() =>
            Task.Run(() => _others.TryTake(out var ev, TimeSpan.FromSeconds(10))
                ? ev
                : throw new TimeoutException("no event"));

        public Task<string> NextPayload() =>
            Task.Run(() => _payloads.TryTake(out var payload, TimeSpan.FromSeconds(10))
                ? payload
                : throw new TimeoutException("no payload"));

        public async Task WaitForCount(int count)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (Volatile.Read(ref _count) < count && DateTime.UtcNow < deadline) await Task.Delay(20);
            Assert.Equal(count, Volatile.Read(ref _count));
        }
    }
}
