using System.Diagnostics;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Transport.SharedMemory.Control;
using XStateNet.Actors.Transport.SharedMemory.Ring;

namespace XStateNet.Actors.Transport.SharedMemory.Tests.Remoting;

/// <summary>
/// Who is on the other end is the kernel's word (issue 13, item 10), and each side's frame limit is announced in
/// the handshake (item 13).
/// </summary>
public sealed partial class ShmTransportSpecs
{
    [Fact]
    public async Task A_pid_declared_in_the_request_or_written_into_the_segment_is_not_trusted()
    {
        var (_, aAddress, aInbound) = await Start("watchdog-interval = 50ms, heartbeat-interval = 50ms");
        var deadPid = await DeadPid();
        using var segment = TestSegments.Create(4096, _prefix + "-liar");
        // A peer that lies in its request and in the segment's header, claiming to be a process that has exited.
        TestSegments.Patch(segment.Descriptor, SegmentLayout.CreatorPidOffset, BitConverter.GetBytes(deadPid));

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketOf(aAddress)));
        await using var stream = new NetworkStream(socket);
        await ControlMessages.WriteRequestAsync(stream, Request(segment.Descriptor, "liar", declaredPid: deadPid), CancellationToken.None);
        var reply = await ControlMessages.ReadReplyAsync(stream, CancellationToken.None);
        Assert.True(reply.Accepted, reply.Message);

        var inbound = (ShmAssociationHandle)await aInbound.Next();
        Assert.Equal(Environment.ProcessId, inbound.PeerProcessId);
        var collector = new Collector();
        inbound.ReadHandlerSource.SetResult(collector);
        for (var i = 0; i < 10; i++)
        {
            segment.Beat(MonotonicClock.NowMs); // a live peer's heartbeat: only its pid could condemn it
            await Task.Delay(50);
        }

        Assert.Equal(0, collector.PendingEvents);
        Assert.Null(Transport.PeerLiveness.For(_system).GoneReason(inbound.RemoteAddress));
        inbound.Disassociate("test", _system.Log);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_process_of_another_user_is_refused_with_the_reason()
    {
        if (CurrentUid() != 0 || !File.Exists("/usr/bin/setpriv") || !File.Exists("/usr/bin/python3"))
        {
            // Switching to another uid needs root, setpriv and a python every user may run: without them there is
            // no other user to be, and nothing to test.
            return;
        }

        var (_, aAddress, _) = await Start();
        var socketPath = SocketOf(aAddress);
        File.SetUnixFileMode(socketPath, (UnixFileMode)0b110_110_110); // let uid 65534 connect at all
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)0b111_101_101);
        var request = Framed(ValidRequestBody(fd: 3));

        var info = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c",
                     "import socket,sys;s=socket.socket(socket.AF_UNIX);s.connect(sys.argv[1]);s.sendall(bytes.fromhex(sys.argv[2]));" +
                     "d=b''\nwhile True:\n c=s.recv(4096)\n if not c: break\n d+=c\nprint(d.hex())",
                     socketPath, Convert.ToHexString(request)])
            info.ArgumentList.Add(arg);
        using var child = Process.Start(info)!;
        var output = await child.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await child.WaitForExitAsync();
        Assert.True(child.ExitCode == 0, await child.StandardError.ReadToEndAsync());

        var reply = await ControlMessages.ReadReplyAsync(new MemoryStream(Convert.FromHexString(output.Trim())), CancellationToken.None);
        Assert.False(reply.Accepted);
        Assert.Contains($"runs as uid 65534, this node as uid {CurrentUid()}", reply.Message);
    }

    [Fact]
    public async Task Each_side_learns_the_other_sides_maximum_frame_size_in_the_handshake()
    {
        var small = ActorSystem.Create("small", "akka.loglevel = OFF");
        var large = ActorSystem.Create("large", "akka.loglevel = OFF");
        try
        {
            const long Small = 64 * 1024;
            const long Large = 256 * 1024;
            var (smallTransport, smallAddress, smallInbound) = await Start($"maximum-frame-size = {Small}", system: small);
            var (largeTransport, largeAddress, largeInbound) = await Start($"maximum-frame-size = {Large}", system: large);
            Assert.Equal(Small, PayloadLimits.For(small).LimitFor(largeAddress)); // its own limit, before any handshake
            Assert.Equal(Large, PayloadLimits.For(large).LimitFor(smallAddress));

            // The large side connects: it learns the small side's limit from the reply...
            await largeTransport.Associate(smallAddress);
            await smallInbound.Next();
            Assert.Equal(Small, PayloadLimits.For(large).LimitFor(smallAddress));

            // ...and the large side, listening, learns it from the request.
            var third = ActorSystem.Create("third", "akka.loglevel = OFF");
            try
            {
                var (thirdTransport, thirdAddress, _) = await Start($"maximum-frame-size = {Small / 2}", system: third);
                await thirdTransport.Associate(largeAddress);
                await largeInbound.Next();
                Assert.Equal(Small / 2, PayloadLimits.For(large).LimitFor(thirdAddress));
                Assert.Equal(Small / 2, PayloadLimits.For(third).LimitFor(largeAddress));
            }
            finally
            {
                await third.Terminate();
            }

            Assert.NotNull(smallTransport);
        }
        finally
        {
            foreach (var transport in _transports) await transport.Shutdown();
            await small.Terminate();
            await large.Terminate();
        }
    }

    /// <summary>This process's real uid (the first number of the Uid line of /proc/self/status).</summary>
    private static uint CurrentUid() =>
        uint.Parse(File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', ' ')
            .Where(p => p.Length > 0).ElementAt(1));
}
