using Akka.Actor;
using Akka.Remote.Transport;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Transport.Pipes.Tests.Support;
using Xunit.Abstractions;

namespace XStateNet.Actors.Transport.Pipes.Tests.Specs;

/// <summary>
/// A process of another user connects to the node's pipe (root probing a node of a service user, or the reverse):
/// the connection is refused with a warning, and the node goes on accepting its own peers.
/// </summary>
/// <remarks>
/// Runs as root only: the probe is a perl client started as user nobody (setpriv). The pipe directory is the test's
/// own, opened to everyone for the test and removed afterwards.
/// </remarks>
public sealed class ForeignUserSpecs : TestKit, IDisposable
{
    private const int Port = 20_101;
    private const int Nobody = 65534;
    private readonly TestPipeDirectory _directory;
    private readonly string _prefix;
    private readonly string _extra;

    public ForeignUserSpecs(ITestOutputHelper output) : this(new TestPipeDirectory(), PipeNodes.UniquePrefix(), output)
    {
    }

    private ForeignUserSpecs(TestPipeDirectory directory, string prefix, ITestOutputHelper output)
        : this(directory, prefix, $"akka.remote.pipe.directory = \"{directory.Path}\"", output)
    {
    }

    private ForeignUserSpecs(TestPipeDirectory directory, string prefix, string extra, ITestOutputHelper output)
        : base(PipeNodes.Config(prefix, Port, extra), "Target", output)
    {
        _directory = directory;
        _prefix = prefix;
        _extra = extra;
        Sys.ActorOf(Echo.Props(), "echo");
    }

    private string SocketPath => Path.Combine(_directory.Path, $"{_prefix}-localhost-{Port}");

    [RootFact]
    public async Task A_connection_from_another_user_is_refused_with_a_warning_and_the_node_keeps_accepting()
    {
        _directory.OpenToEveryone();
        TestPipeDirectory.Chmod(SocketPath, 0x1B6); // 0666: the other user may connect, for this test only

        for (var probe = 0; probe < 3; probe++)
        {
            await EventFilter.Warning(contains: "another user").ExpectOneAsync(async () =>
            {
                await using var foreign = PerlPeer.Start(SocketPath, "GET / HTTP/1.0\r\n\r\n"u8.ToArray(), false, "eof", asUser: Nobody);
                await foreign.ExpectAsync("connected");
                await foreign.ExpectAsync("closed");
            });
        }

        await AssertRealPeerIsServedAsync();
    }

    [RootFact]
    public async Task A_foreign_user_sending_a_valid_hello_is_refused_too()
    {
        _directory.OpenToEveryone();
        TestPipeDirectory.Chmod(SocketPath, 0x1B6);
        var hello = new Pipes.Framing.Hello(1, new Address("pipe", "Intruder", "localhost", 1), 64000).Encode();

        await EventFilter.Warning(contains: "another user").ExpectOneAsync(async () =>
        {
            await using var foreign = PerlPeer.Start(SocketPath, hello, true, "eof", asUser: Nobody);
            await foreign.ExpectAsync("closed");
        });

        Assert.False(PeerLiveness.For(Sys).IsKnownGone(new Address("pipe", "Intruder", "localhost", 1)));
        await AssertRealPeerIsServedAsync();
    }

    [RootFact]
    public async Task A_node_refuses_to_associate_with_a_listener_of_another_user()
    {
        // The reverse: the listener under a peer's name belongs to another user (here nobody, by a perl listener that
        // even answers with a valid hello). Connecting to it must not make an association.
        _directory.OpenToEveryone();
        const int otherPort = 20_102;
        var path = Path.Combine(_directory.Path, $"{_prefix}-localhost-{otherPort}");
        var hello = new Pipes.Framing.Hello(4242, new Address("pipe", "Foreign", "localhost", otherPort), 64000).Encode();
        var info = new System.Diagnostics.ProcessStartInfo("setpriv") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var arg in new[] { $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "/usr/bin/perl", "-e", ForeignListener, path, Convert.ToHexString(hello) })
            info.ArgumentList.Add(arg);
        using var listener = System.Diagnostics.Process.Start(info)!;
        try
        {
            Assert.Equal("listening", await listener.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
            var transport = new PipeTransport(Sys, PipeNodes.Config(_prefix, extra: _extra).GetConfig("akka.remote.pipe"));
            try
            {
                await transport.Listen();
                var error = await Assert.ThrowsAsync<InvalidAssociationException>(() =>
                    transport.Associate(new Address("akka.pipe", "Foreign", "localhost", otherPort)).WaitAsync(TimeSpan.FromSeconds(15)));
                Assert.Contains($"of user {Nobody}, not of this user", error.Message);
            }
            finally
            {
                await transport.Shutdown();
            }
        }
        finally
        {
            listener.Kill();
            await listener.WaitForExitAsync();
        }
    }

    private const string ForeignListener = """
        use strict; use warnings; use IO::Socket::UNIX; use Socket;
        $| = 1;
        my ($path, $hex) = @ARGV;
        my $l = IO::Socket::UNIX->new(Type => SOCK_STREAM, Local => $path, Listen => 5) or die "listen: $!";
        chmod 0777, $path;
        print "listening\n";
        alarm 30;
        while (my $c = $l->accept) { syswrite($c, pack('H*', $hex)); }
        """;

    private async Task AssertRealPeerIsServedAsync()
    {
        var peer = ActorSystem.Create("Peer", PipeNodes.Config(_prefix, extra: _extra));
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
        _directory.Dispose();
    }

    void IDisposable.Dispose()
    {
        Dispose();
        _directory.Dispose();
    }
}
