using Akka.Actor;
using Akka.Event;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Transport.Pipes.Tests.Framing;
using XStateNet.Actors.Transport.Pipes.Tests.Support;
using Xunit.Abstractions;

namespace XStateNet.Actors.Transport.Pipes.Tests.Specs;

/// <summary>
/// Many clients that are not nodes, over the real socket: connect-and-close floods and fuzzed frames. The node
/// answers each with a clear, rate-limited log line, never crashes or hangs, and still serves real peers after.
/// </summary>
public sealed class HostileClientSpecs : TestKit
{
    private const int Port = 20_201;
    private readonly string _prefix;

    public HostileClientSpecs(ITestOutputHelper output) : this(PipeNodes.UniquePrefix(), output)
    {
    }

    private HostileClientSpecs(string prefix, ITestOutputHelper output)
        : base(PipeNodes.Config(prefix, Port, "akka.remote.pipe.hello-timeout = 1s"), "Target", output)
    {
        _prefix = prefix;
        Sys.ActorOf(Echo.Props(), "echo");
    }

    private string SocketPath => PipeNodes.EndpointOf(_prefix, Port).SocketPath!;

    [Fact]
    public async Task A_thousand_connect_and_close_attempts_write_a_handful_of_log_lines()
    {
        var log = ListenToTransportLog();
        const int attempts = 1000;
        for (var i = 0; i < attempts; i++)
            RawClient.Connect(SocketPath).Dispose();
        await Task.Delay(TimeSpan.FromSeconds(2)); // every attempt handled

        var lines = Drain(log);
        // Five lines per kind per ten seconds: two windows at most here, and a few kinds of failure.
        Assert.InRange(lines.Count, 1, 30);
        Assert.All(lines, line => Assert.Contains("Rejected a connection", line));
        await AssertRealPeerIsServedAsync();
    }

    [Fact]
    public async Task Hundreds_of_fuzzed_conversations_over_the_socket_are_refused_cleanly_and_the_node_keeps_serving()
    {
        var log = ListenToTransportLog();
        var random = new Random(2013);
        var inputs = Enumerable.Range(0, 300).Select(i => FrameFuzzTests.NextInput(random, i)).ToList();

        await Parallel.ForEachAsync(inputs, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (input, _) =>
        {
            using var socket = RawClient.Connect(SocketPath);
            try
            {
                await socket.SendAsync(input);
                socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            }
            catch (System.Net.Sockets.SocketException)
            {
                // The node may have closed already (it refused the start of the input).
            }

            await RawClient.DrainAsync(socket, TimeSpan.FromMilliseconds(300));
        });
        await Task.Delay(TimeSpan.FromSeconds(2));

        var lines = Drain(log);
        Assert.InRange(lines.Count, 1, 60);
        Assert.DoesNotContain(lines, line => line.Contains("NullReference") || line.Contains("IndexOutOfRange") ||
                                             line.Contains("ArgumentOutOfRange") || line.Contains("InvalidCast"));
        await AssertRealPeerIsServedAsync();
    }

    /// <summary>Collects what the pipe transport logs at warning and error level.</summary>
    private TestProbe ListenToTransportLog()
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe.Ref, typeof(Error));
        Sys.EventStream.Subscribe(probe.Ref, typeof(Warning));
        return probe;
    }

    private static List<string> Drain(TestProbe probe)
    {
        var lines = new List<string>();
        while (probe.HasMessages)
        {
            var e = probe.ExpectMsg<LogEvent>();
            if (e.LogSource.Contains("PipeTransport")) lines.Add(e.Message.ToString() ?? "");
        }

        return lines;
    }

    private async Task AssertRealPeerIsServedAsync()
    {
        var peer = ActorSystem.Create("Peer", PipeNodes.Config(_prefix));
        try
        {
            var echo = peer.ActorSelection(new RootActorPath(PipeNodes.AddressOf(Sys)) / "user" / "echo");
            Assert.Equal("still serving", await echo.Ask<string>("still serving", TimeSpan.FromSeconds(10)));
        }
        finally
        {
            await peer.Terminate();
        }
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        PipeNodes.RemoveLeftovers(_prefix);
    }
}
