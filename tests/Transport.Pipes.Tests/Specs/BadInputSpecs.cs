using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Pipes;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Transport.Pipes.Framing;
using XStateNet.Actors.Transport.Pipes.Tests.Framing;
using XStateNet.Actors.Transport.Pipes.Tests.Support;
using Xunit.Abstractions;

namespace XStateNet.Actors.Transport.Pipes.Tests.Specs;

/// <summary>
/// A raw pipe client, not an Akka node, writes to a node's pipe: garbage, impossible lengths, cut frames. Each time
/// that connection is closed with a clear log line, and the node keeps serving real peers.
/// </summary>
public sealed class BadInputSpecs : TestKit
{
    private const int Port = 20_001;
    private readonly string _prefix;

    public BadInputSpecs(ITestOutputHelper output) : this(PipeNodes.UniquePrefix(), output)
    {
    }

    private BadInputSpecs(string prefix, ITestOutputHelper output) : base(PipeNodes.Config(prefix, Port, "akka.remote.pipe.hello-timeout = 1s"), "Target", output)
    {
        _prefix = prefix;
        Sys.ActorOf(Echo.Props(), "echo");
    }

    [Fact]
    public async Task Garbage_from_a_foreign_client_is_rejected_and_real_peers_still_get_through()
    {
        await EventFilter.Error(contains: "Rejected a connection").ExpectOneAsync(async () =>
        {
            await using var raw = await ConnectRawAsync();
            await raw.WriteAsync("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray());
            await AssertClosedByNodeAsync(raw);
        });

        await AssertRealPeerIsServedAsync();
    }

    [Fact]
    public async Task A_client_that_never_says_hello_is_dropped_after_the_hello_timeout()
    {
        await EventFilter.Error(contains: "no hello frame").ExpectOneAsync(async () =>
        {
            await using var raw = await ConnectRawAsync();
            await AssertClosedByNodeAsync(raw);
        });
    }

    [Theory]
    [InlineData("oversize", "exceeds maximum-frame-size")]
    [InlineData("negative", "negative frame length")]
    [InlineData("truncated", "ended inside")]
    [InlineData("unknown-kind", "unknown frame kind")]
    public async Task A_bad_frame_after_a_valid_hello_closes_that_connection_only(string input, string logged)
    {
        await EventFilter.Error(contains: logged).ExpectOneAsync(async () =>
        {
            await using var raw = await ConnectRawAsync();
            await raw.WriteAsync(new Hello(Environment.ProcessId, new Address("pipe", "Raw", "localhost", 1), 64000).Encode());
            await raw.WriteAsync(input switch
            {
                "oversize" => FrameReaderTests.Header(FrameKind.Payload, 500_000_000),
                "negative" => FrameReaderTests.Header(FrameKind.Payload, -1),
                "truncated" => FrameReaderTests.Frame(FrameKind.Payload, new byte[1000])[..100],
                _ => FrameReaderTests.Header((FrameKind)0xee, 4),
            });
            if (input == "truncated") raw.Close();
            else await AssertClosedByNodeAsync(raw);
        });

        await AssertRealPeerIsServedAsync();
    }

    [Fact]
    public async Task A_pipe_that_ends_without_goodbye_from_a_process_that_is_gone_is_reported_to_PeerLiveness()
    {
        var peer = new Address("pipe", "Ghost", "localhost", 4711);
        using var meter = new Contract.MeterCapture(Telemetry.TransportMetrics.MeterName);

        // Another process says hello and is killed: the kernel's pid of the peer is gone.
        await using var client = PerlPeer.Start(SocketPath, new Hello(0, peer, 64000).Encode(), true, "hold");
        await client.ExpectAsync("sent");
        var pid = client.ProcessId;
        await Task.Delay(100);
        await client.KillAsync();

        var liveness = PeerLiveness.For(Sys);
        await AwaitConditionAsync(() => Task.FromResult(liveness.IsKnownGone(peer)), TimeSpan.FromSeconds(5));
        Assert.Contains($"process {pid} is gone", liveness.GoneReason(peer));

        // The verdict is metered under the peer's address, with how long after the end of its pipe it came.
        var verdict = Assert.Single(meter.Of(Telemetry.TransportMetrics.PeerVerdicts, Telemetry.TransportMetrics.PeerTag, peer.ToString()));
        Assert.Equal("exited", verdict.Tags[Telemetry.TransportMetrics.VerdictTag]);
        Assert.Equal("pipe", verdict.Tags[Telemetry.TransportMetrics.TransportTag]);
        Assert.Single(meter.Of(Telemetry.TransportMetrics.DetectionDuration, Telemetry.TransportMetrics.PeerTag, peer.ToString()));
    }

    [Fact]
    public async Task A_pipe_that_ends_without_goodbye_from_a_process_that_still_runs_is_left_to_the_heartbeats()
    {
        var peer = new Address("pipe", "Alive", "localhost", 4712);

        await EventFilter.Warning(contains: "still runs").ExpectOneAsync(async () =>
        {
            await using var client = PerlPeer.Start(SocketPath, new Hello(0, peer, 64000).Encode(), true, "linger");
            await client.ExpectAsync("sent");
            await Task.Delay(1500);
        });

        Assert.False(PeerLiveness.For(Sys).IsKnownGone(peer));
    }

    [Fact]
    public async Task A_client_that_declares_a_dead_process_id_cannot_make_the_node_report_a_live_peer_gone()
    {
        // The attack: claim a live peer's address with the pid of a process that has exited, then hang up. The node
        // must judge by the kernel's pid of the connection (the liar, still running), not by the declared one.
        var deadPid = await ExitedProcessIdAsync();
        var victim = new Address("pipe", "Victim", "localhost", 4713);

        await EventFilter.Warning(contains: $"declares process id {deadPid}").ExpectOneAsync(async () =>
        {
            await using var liar = PerlPeer.Start(SocketPath, new Hello(deadPid, victim, 64000).Encode(), false, "linger");
            await liar.ExpectAsync("sent");
            await Task.Delay(1500);
        });

        Assert.False(PeerLiveness.For(Sys).IsKnownGone(victim));
    }

    [Fact]
    public async Task A_client_in_this_process_that_declares_a_dead_process_id_is_not_believed_either()
    {
        var deadPid = await ExitedProcessIdAsync();
        var victim = new Address("pipe", "Victim", "localhost", 4714);

        await EventFilter.Warning(contains: $"declares process id {deadPid}").ExpectOneAsync(async () =>
        {
            await using var raw = await ConnectRawAsync();
            await raw.WriteAsync(new Hello(deadPid, victim, 64000).Encode());
            await raw.FlushAsync();
            await Task.Delay(200);
        });

        await Task.Delay(1000);
        Assert.False(PeerLiveness.For(Sys).IsKnownGone(victim));
    }

    private string SocketPath => PipeNodes.EndpointOf(_prefix, Port).SocketPath!;

    private async Task<NamedPipeClientStream> ConnectRawAsync()
    {
        var raw = new NamedPipeClientStream(".", PipeNodes.EndpointOf(_prefix, Port).PipeName, PipeDirection.InOut, PipeOptions.Asynchronous);
        await raw.ConnectAsync(5000);
        // The node speaks first; read its hello so that closing our end later is a clean end of stream, not a reset.
        var hello = Hello.Decode(await new FrameReader(raw, 1024, 4096).ReadAsync(default), "pipe");
        Assert.Equal(PipeNodes.AddressOf(Sys).Port, hello.ListenAddress.Port);
        return raw;
    }

    /// <summary>The node answers with its hello, then closes: reading ends without hanging.</summary>
    private static async Task AssertClosedByNodeAsync(Stream raw)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(8));
        int read;
        do
        {
            read = await raw.ReadAsync(buffer, timeout.Token);
        } while (read > 0);
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

    private static async Task<int> ExitedProcessIdAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await process.WaitForExitAsync();
        return process.Id;
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        PipeNodes.RemoveLeftovers(_prefix);
    }
}
