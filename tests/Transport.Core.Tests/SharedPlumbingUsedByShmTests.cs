using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;

namespace XStateNet.Actors.Transport.Tests;

/// <summary>
/// The shared plumbing the shared-memory transport relies on for issue 13: the kernel's word on a socket's peer,
/// rate-limited repeated errors, unknown HOCON keys, and payload limits.
/// </summary>
public sealed class SharedPlumbingUsedByShmTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("plumbing", "akka.loglevel = OFF");

    [Fact]
    public void PeerCredentials_of_a_unix_socket_name_this_very_process_and_user()
    {
        if (!OperatingSystem.IsLinux()) return;
        var path = Path.Combine(Path.GetTempPath(), "xsn-cred-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(1);
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            client.Connect(new UnixDomainSocketEndPoint(path));
            using var accepted = listener.Accept();

            var ofClient = PeerCredentials.Of(accepted);
            var ofListener = PeerCredentials.Of(client);
            Assert.Equal(Environment.ProcessId, ofClient?.ProcessId);
            Assert.Equal(Environment.ProcessId, ofListener?.ProcessId);
            Assert.Equal(PeerCredentials.CurrentUserId, ofClient?.UserId);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void RepeatedErrorLog_writes_a_burst_per_window_and_tells_how_many_it_left_out()
    {
        var now = 0L;
        var log = new RepeatedErrorLog(burst: 3, window: TimeSpan.FromSeconds(10), clockMs: () => now);
        var written = Enumerable.Range(0, 100).Count(_ => log.ShouldWrite("garbage", out _));
        Assert.Equal(3, written);
        Assert.True(log.ShouldWrite("another kind", out var none));
        Assert.Equal(0, none);

        now += 10_000;
        Assert.True(log.ShouldWrite("garbage", out var suppressed));
        Assert.Equal(97, suppressed);
        Assert.Contains("97 more like it", RepeatedErrorLog.SuppressedNote(suppressed));
        Assert.Equal("", RepeatedErrorLog.SuppressedNote(0));
    }

    [Fact]
    public void SectionKeys_name_each_unknown_key_in_full_and_list_the_known_ones()
    {
        var config = ConfigurationFactory.ParseString("ring-sise = 1, port = 2, colour = blue");
        var error = Assert.Throws<ConfigurationException>(() =>
            SectionKeys.RejectUnknown(config, "akka.remote.shm", ["port", "ring-size"]));
        Assert.Contains("akka.remote.shm.colour, akka.remote.shm.ring-sise: unknown settings", error.Message);
        Assert.Contains("akka.remote.shm knows port, ring-size", error.Message);

        SectionKeys.RejectUnknown(ConfigurationFactory.ParseString("port = 2"), "akka.remote.shm", ["port"]);
        SectionKeys.RejectUnknown(Config.Empty, "akka.remote.shm", ["port"]);
    }

    [Fact]
    public void PayloadLimits_give_the_smaller_of_this_nodes_and_the_peers_limit()
    {
        var limits = PayloadLimits.For(_system);
        var peer = new Address("shm", "peer", "localhost", 1);
        Assert.Null(limits.LimitFor(peer));

        limits.ReportLocal("shm", 1000);
        Assert.Equal(1000, limits.LimitFor(new Address("akka.shm", "peer", "localhost", 1)));
        limits.ReportPeer(peer, 400);
        Assert.Equal(400, limits.LimitFor(new Address("akka.shm", "peer", "localhost", 1)));
        Assert.Equal(1000, limits.LimitFor(new Address("akka.shm", "other", "localhost", 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => limits.ReportPeer(peer, 0));
    }

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));
}
