using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Transport.SharedMemory.Control;

namespace XStateNet.Actors.Transport.SharedMemory.Tests.Remoting;

/// <summary>
/// The control socket under hostile or unlucky input (issue 13, items 7, 8, 9 and 14): the node answers with a clear
/// refusal, logs a bounded number of lines, never stops accepting, and its start-up never hangs.
/// </summary>
public sealed partial class ShmTransportSpecs
{
    [Fact]
    public async Task A_string_length_that_overflows_the_frame_reader_is_refused_clearly_and_the_node_keeps_accepting()
    {
        var (b, _, _) = await Start();
        var (_, aAddress, aInbound) = await Start();
        var frame = ValidRequestBody(fd: -1);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(16), 0x7FFFFFF0); // the segment name's length

        var reply = await RawExchange(SocketOf(aAddress), Framed(frame));
        Assert.Contains("control frame string of 2147483632 bytes does not fit", reply);

        Assert.NotNull(await b.Associate(aAddress));
        Assert.NotNull(await aInbound.Next());
    }

    [Fact]
    public async Task Failures_of_accept_itself_are_logged_and_the_accept_loop_goes_on()
    {
        var logged = ActorSystem.Create("accept-" + Guid.NewGuid().ToString("N")[..8],
            ConfigurationFactory.ParseString($"akka.loglevel = WARNING\n{LogCapture.Setting}"));
        try
        {
            var transport = new ShmTransport(logged, ConfigurationFactory.ParseString($"directory = \"{_dir.Path}\", file-prefix = \"{_prefix}\""));
            _transports.Add(transport);
            var failures = 0;
            transport.AcceptConnection = (listener, cancellation) =>
                Interlocked.Increment(ref failures) <= 3
                    ? ValueTask.FromException<Socket>(new SocketException((int)SocketError.TooManyOpenSockets))
                    : listener.AcceptAsync(cancellation);
            var (address, promise) = await transport.Listen();
            var inbound = new InboundQueue();
            promise.SetResult(inbound);

            var (b, _, _) = await Start();
            Assert.NotNull(await b.Associate(address));
            Assert.NotNull(await inbound.Next());
            Assert.Contains(LogCapture.WarningsAndErrors(logged.Name), l => l.Contains("accepting a connection failed (3 in a row), going on"));
        }
        finally
        {
            await logged.Terminate();
        }
    }

    [Fact]
    public async Task Thousands_of_random_and_mutated_control_frames_each_parse_or_fail_with_a_clear_InvalidDataException()
    {
        var random = new Random(13);
        var valid = ValidRequestBody(fd: 3);
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < 5000; i++)
        {
            var frame = i % 2 == 0 ? RandomBytes(random, random.Next(0, 300)) : Mutate(random, valid);
            try
            {
                var request = ControlMessages.ParseRequest(frame);
                Assert.NotNull(request.SegmentName);
                Count(outcomes, "parsed");
            }
            catch (InvalidDataException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                Count(outcomes, e.Message.Split(' ')[0..3].Aggregate((x, y) => x + " " + y));
            }

            // The stream reader too: any 4-byte prefix, then the body, possibly cut short.
            var framed = Framed(frame)[..(4 + random.Next(0, frame.Length + 1))];
            if (i % 3 == 0) BinaryPrimitives.WriteInt32LittleEndian(framed, random.Next(int.MinValue, int.MaxValue));
            var stream = new MemoryStream(framed);
            try
            {
                await ControlMessages.ReadRequestAsync(stream, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
                await ControlMessages.ReadReplyAsync(new MemoryStream([.. Framed(frame)]), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (InvalidDataException)
            {
            }
        }

        Assert.True(outcomes.Count > 3, string.Join(", ", outcomes.Select(o => $"{o.Key}: {o.Value}")));
    }

    [Fact]
    public async Task Hundreds_of_hostile_frames_against_a_live_node_each_get_a_clear_answer_and_a_real_association_still_works()
    {
        var (b, _, _) = await Start();
        var (_, aAddress, aInbound) = await Start();
        var socketPath = SocketOf(aAddress);
        var random = new Random(17);
        var valid = ValidRequestBody(fd: -1);
        var answered = 0;
        for (var i = 0; i < 300; i++)
        {
            var body = i % 2 == 0 ? RandomBytes(random, random.Next(1, 200)) : Mutate(random, valid);
            var bytes = i % 5 == 0 ? body : Framed(body); // some without a length prefix at all
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
            await using var stream = new NetworkStream(socket);
            await socket.SendAsync(bytes);
            socket.Shutdown(SocketShutdown.Send); // the node sees the end of what we send: it must answer or close, never wait
            try
            {
                var reply = await ControlMessages.ReadReplyAsync(stream, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
                Assert.False(string.IsNullOrWhiteSpace(reply.Message));
                answered++;
            }
            catch (InvalidDataException)
            {
                // closed without an answer: only for what cannot be told from a liveness probe (nothing at all)
            }
        }

        Assert.True(answered >= 250, $"only {answered} of 300 hostile connections got an answer");
        Assert.NotNull(await b.Associate(aAddress));
        Assert.NotNull(await aInbound.Next());
    }

    [Fact]
    public async Task A_FIFO_named_like_a_control_socket_or_a_segment_neither_hangs_start_up_nor_is_removed()
    {
        var fifoSocket = _dir.File($"{_prefix}-localhost-4322.sock");
        var fifoSegment = _dir.File($"{_prefix}-1-4322-4323-1-0.seg");
        MakeFifo(fifoSocket);
        MakeFifo(fifoSegment);

        var starting = Start($"port = 4322");
        var finished = await Task.WhenAny(starting, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.True(finished == starting, "start-up hung on a FIFO");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => starting);
        Assert.Contains("is a FIFO, not a socket", error.ToString());

        var (_, address, _) = await Start(); // on a free port: the FIFOs are skipped by stale clean-up
        Assert.NotNull(address);
        Assert.True(File.Exists(fifoSocket) && File.Exists(fifoSegment), "a FIFO that is not ours was removed");
    }

    [Fact]
    public async Task A_socket_with_a_full_backlog_does_not_hang_the_liveness_probe_or_start_up()
    {
        const int port = 4324;
        var path = _dir.File($"{_prefix}-localhost-{port}.sock");
        using var squatter = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        squatter.Bind(new UnixDomainSocketEndPoint(path));
        squatter.Listen(1);
        var queued = FillBacklog(path);
        try
        {
            var clock = Stopwatch.StartNew();
            Assert.True(ShmTransport.IsLive(path, TimeSpan.FromSeconds(1)));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the probe hung");

            var starting = Start($"port = {port}, connection-timeout = 1s");
            var finished = await Task.WhenAny(starting, Task.Delay(TimeSpan.FromSeconds(30)));
            Assert.True(finished == starting, "start-up hung on a socket with a full backlog");
            var error = await Assert.ThrowsAnyAsync<Exception>(() => starting);
            Assert.Contains("a live node already owns", error.ToString());
            Assert.NotNull((await Start("connection-timeout = 1s")).Address); // stale clean-up probes it, and goes on
        }
        finally
        {
            foreach (var socket in queued) socket.Dispose();
        }
    }

    [Fact]
    public async Task Five_thousand_bad_connections_write_a_handful_of_log_lines_and_the_node_still_accepts()
    {
        var logged = ActorSystem.Create("flood-" + Guid.NewGuid().ToString("N")[..8],
            ConfigurationFactory.ParseString($"akka.loglevel = WARNING\n{LogCapture.Setting}"));
        try
        {
            var (_, aAddress, aInbound) = await Start(system: logged);
            var socketPath = SocketOf(aAddress);
            for (var i = 0; i < 5000; i++)
            {
                using var socket = await ConnectRetrying(socketPath);
                await socket.SendAsync(new byte[] { 1, 2 }); // a frame length cut short, then gone
            }

            var (b, _, _) = await Start();
            Assert.NotNull(await b.Associate(aAddress));
            Assert.NotNull(await aInbound.Next());
            await Task.Delay(500);
            var lines = LogCapture.WarningsAndErrors(logged.Name);
            Assert.InRange(lines.Length, 1, 20);
            Assert.Contains(lines, l => l.Contains("cut short", StringComparison.Ordinal));
        }
        finally
        {
            await logged.Terminate();
        }
    }

    [Fact]
    public async Task Connections_beyond_max_unidentified_connections_are_closed_at_once_with_one_warning()
    {
        var logged = ActorSystem.Create("cap-" + Guid.NewGuid().ToString("N")[..8],
            ConfigurationFactory.ParseString($"akka.loglevel = WARNING\n{LogCapture.Setting}"));
        var held = new List<Socket>();
        try
        {
            var (_, aAddress, aInbound) = await Start("max-unidentified-connections = 8, connection-timeout = 60s", system: logged);
            var socketPath = SocketOf(aAddress);
            for (var i = 0; i < 8 + 20; i++)
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                held.Add(socket);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
                await Task.Delay(5);
            }

            // The first 8 are kept waiting for their request; the 20 after them are closed: they read the end at once.
            var closed = 0;
            foreach (var socket in held)
            {
                if (socket.Poll(TimeSpan.FromSeconds(2), SelectMode.SelectRead) && socket.Receive(new byte[1]) == 0) closed++;
            }

            Assert.Equal(20, closed);
            var warnings = LogCapture.WarningsAndErrors(logged.Name).Where(l => l.Contains("max-unidentified-connections")).ToArray();
            Assert.InRange(warnings.Length, 1, 5);

            foreach (var socket in held) socket.Dispose();
            held.Clear();
            var (b, _, _) = await Start();
            Assert.NotNull(await b.Associate(aAddress));
            Assert.NotNull(await aInbound.Next());
        }
        finally
        {
            foreach (var socket in held) socket.Dispose();
            await logged.Terminate();
        }
    }

    /// <summary>Connects, waiting while the node's backlog is full (as a flooding client does).</summary>
    private static async Task<Socket> ConnectRetrying(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
                return socket;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.TryAgain && attempt < 1000)
            {
                socket.Dispose();
                await Task.Delay(1);
            }
        }
    }

    private static byte[] ValidRequestBody(int fd)
    {
        var stream = new MemoryStream();
        ControlMessages.WriteRequestAsync(stream, Request(fd, "fuzz"), CancellationToken.None).GetAwaiter().GetResult();
        return stream.ToArray()[4..];
    }

    private static byte[] Framed(byte[] body)
    {
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, body.Length);
        body.CopyTo(frame, 4);
        return frame;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A valid request with a few bit flips, a cut, or an extreme value in one of its length or number fields.</summary>
    private static byte[] Mutate(Random random, byte[] valid)
    {
        var bytes = (byte[])valid.Clone();
        switch (random.Next(4))
        {
            case 0:
                for (var i = random.Next(1, 4); i > 0; i--) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1:
                return bytes[..random.Next(bytes.Length)];
            default:
                int[] extremes = [0x7FFFFFF0, int.MaxValue, int.MinValue, -1, 0, 1 << 20, bytes.Length];
                var at = random.Next(0, (bytes.Length - 4) / 4) * 4;
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), extremes[random.Next(extremes.Length)]);
                return bytes;
        }
    }

    private static void Count(Dictionary<string, int> outcomes, string key) =>
        outcomes[key] = outcomes.GetValueOrDefault(key) + 1;

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    /// <summary>Connects without blocking until the listener's backlog is full; returns the queued connections.</summary>
    private static List<Socket> FillBacklog(string path)
    {
        var queued = new List<Socket>();
        for (var i = 0; i < 64; i++)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { Blocking = false };
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(path));
                queued.Add(socket);
            }
            catch (SocketException)
            {
                socket.Dispose();
                return queued;
            }
        }

        throw new InvalidOperationException("the backlog never filled");
    }
}
