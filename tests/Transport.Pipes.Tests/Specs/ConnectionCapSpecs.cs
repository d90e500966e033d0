using System.IO.Pipes;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Transport.Pipes.Connections;
using XStateNet.Actors.Transport.Pipes.Framing;
using XStateNet.Actors.Transport.Pipes.Tests.Support;
using Xunit.Abstractions;

namespace XStateNet.Actors.Transport.Pipes.Tests.Specs;

/// <summary>Connections that never say hello are few and cheap: capped by max-unidentified-connections, and bufferless.</summary>
public sealed class ConnectionCapSpecs : TestKit
{
    private const int Port = 20_202;
    private const int Cap = 4;
    private readonly string _prefix;

    public ConnectionCapSpecs(ITestOutputHelper output) : this(PipeNodes.UniquePrefix(), output)
    {
    }

    private ConnectionCapSpecs(string prefix, ITestOutputHelper output)
        : base(PipeNodes.Config(prefix, Port, $"akka.remote.pipe {{ hello-timeout = 20s, max-unidentified-connections = {Cap} }}"), "Target", output)
    {
        _prefix = prefix;
        Sys.ActorOf(Echo.Props(), "echo");
    }

    private string SocketPath => PipeNodes.EndpointOf(_prefix, Port).SocketPath!;

    [Fact]
    public async Task Connections_past_the_cap_of_unidentified_ones_are_closed_at_once_and_a_real_peer_still_gets_in()
    {
        var held = new List<System.Net.Sockets.Socket>();
        try
        {
            var greeted = 0;
            var closed = 0;
            // Six connections closed, five lines: the warning is rate-limited (five of a kind per ten seconds).
            await EventFilter.Warning(contains: "max-unidentified-connections").ExpectAsync(5, async () =>
            {
                for (var i = 0; i < 10; i++)
                {
                    var socket = RawClient.Connect(SocketPath);
                    held.Add(socket);
                    // The node greets a connection it keeps (its hello) and closes one past the cap without a word.
                    var (bytes, wasClosed) = await RawClient.DrainAsync(socket, TimeSpan.FromMilliseconds(500));
                    if (wasClosed && bytes == 0) closed++;
                    else if (bytes > 0 && !wasClosed) greeted++;
                }
            });

            Assert.Equal(Cap, greeted);
            Assert.Equal(10 - Cap, closed);
        }
        finally
        {
            held.ForEach(s => s.Dispose());
        }

        // The held ones are gone: the slots are free again.
        var peer = ActorSystem.Create("Peer", PipeNodes.Config(_prefix));
        try
        {
            var echo = peer.ActorSelection(new RootActorPath(PipeNodes.AddressOf(Sys)) / "user" / "echo");
            Assert.Equal("served", await echo.Ask<string>("served", TimeSpan.FromSeconds(10)));
        }
        finally
        {
            await peer.Terminate();
        }
    }

    [Fact]
    public async Task A_connection_holds_its_read_and_write_buffers_only_once_the_peer_has_said_hello()
    {
        var settings = PipeTransportSettings.Create(Akka.Configuration.ConfigurationFactory.ParseString(
            "read-buffer-size = 64KiB, write-batch-size = 64KiB"));
        var name = Path.Combine(Path.GetTempPath(), _prefix + "buffers");
        await using var server = new NamedPipeServerStream(name, PipeDirection.InOut, 1, PipeTransmissionMode.Byte, PipeOptions.Asynchronous);
        await using var client = new NamedPipeClientStream(".", name, PipeDirection.InOut, PipeOptions.Asynchronous);
        await Task.WhenAll(server.WaitForConnectionAsync(), client.ConnectAsync(5000));
        var log = new ThrottledLog(Sys.Log);
        var accepting = new PipeConnection(server, settings, Sys, log, "server");
        var connecting = new PipeConnection(client, settings, Sys, log, "client");

        Assert.InRange(accepting.BufferBytes, 1, 2048);

        var ownHello = new Hello(Environment.ProcessId, new Address("pipe", "A", "localhost", 1), settings.MaximumFrameSize);
        await Task.WhenAll(
            accepting.ExchangeHelloAsync(ownHello, null, default),
            connecting.ExchangeHelloAsync(ownHello with { ListenAddress = new Address("pipe", "B", "localhost", 2) }, null, default));

        Assert.True(accepting.BufferBytes >= 128 * 1024, $"{accepting.BufferBytes} bytes after the hello");
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        PipeNodes.RemoveLeftovers(_prefix);
    }
}
