using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.TestKit.Xunit2;
using Xunit.Abstractions;
using XStateNet.Actors.Tests.Shared;

namespace XStateNet.Actors.Transport.SameHost.Tests;

/// <summary>
/// provider = remote (the liveness-aware one of same-host.conf): this test's node and a child share a directory (one
/// host), a second child has its own (another host). Every node keeps its akka.tcp address; the same-host pair runs on
/// the ring, the other pair on TCP with one log line saying why; a same-host peer killed with kill -9 is Terminated
/// through the ring's verdict, long before Akka's own watch failure detector (10 s pause allowed here) could say so.
/// </summary>
public sealed class RemoteFastPathSpecs : TestKit
{
    private readonly TempShmDirectory _host;
    private readonly TempShmDirectory _otherHost;

    public RemoteFastPathSpecs(ITestOutputHelper output) : this(new TempShmDirectory("xsn-samehost-"), new TempShmDirectory("xsn-samehost-"), output)
    {
    }

    private RemoteFastPathSpecs(TempShmDirectory host, TempShmDirectory otherHost, ITestOutputHelper output)
        : base(NodeConfig(host), "fastpath", output)
    {
        _host = host;
        _otherHost = otherHost;
    }

    internal static Config NodeConfig(TempShmDirectory host, string extra = "") => ConfigurationFactory.ParseString($$"""
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        akka.remote.same-host { directory = "{{host.Path}}", file-prefix = "{{host.Prefix}}" }
        akka.loglevel = INFO
        {{extra}}
        """).WithFallback(SameHostConfig.Ready);

    [Fact]
    public async Task Same_host_peers_talk_over_the_ring_other_hosts_over_tcp_and_a_killed_peer_is_terminated_by_the_ring_verdict()
    {
        var infos = CreateTestProbe();
        Sys.EventStream.Subscribe(infos.Ref, typeof(Info));
        var self = ((ExtendedActorSystem)Sys).Provider.DefaultAddress;
        Sys.ActorOf(Props.Create(() => new Echo()), "target");
        Assert.Equal("akka.tcp", self.Protocol);

        using var sameHost = await NodeProcess.StartAsync(_host.Path, _host.Prefix, "fastpath", cluster: false);
        using var otherHost = await NodeProcess.StartAsync(_otherHost.Path, _otherHost.Prefix, "fastpath", cluster: false);
        Assert.StartsWith("akka.tcp://fastpath@127.0.0.1:", sameHost.Address);
        Assert.StartsWith("akka.tcp://fastpath@127.0.0.1:", otherHost.Address);

        // Both directions: this node asks each child, each child asks this node.
        var near = await TargetAsync(sameHost.Address);
        var far = await TargetAsync(otherHost.Address);
        for (var i = 0; i < 3; i++)
        {
            near.Tell($"near {i}");
            ExpectMsg($"near {i}");
            far.Tell($"far {i}");
            ExpectMsg($"far {i}");
        }

        await sameHost.PingAsync(self.ToString());
        await otherHost.PingAsync(self.ToString());

        var paths = SameHostPaths.For(Sys);
        var nearAddress = Address.Parse(sameHost.Address);
        var farAddress = Address.Parse(otherHost.Address);
        Assert.True(paths.RingAssociations(nearAddress) > 0, Describe(paths));
        Assert.Equal(0, paths.TcpAssociations(nearAddress));
        Assert.Equal(0, paths.RingAssociations(farAddress));
        Assert.True(paths.TcpAssociations(farAddress) > 0, Describe(paths));
        var nearView = await sameHost.PathsAsync();
        Assert.True(nearView.TryGetValue(self.ToString(), out var fromNear) && fromNear.Ring > 0 && fromNear.Tcp == 0,
            $"the same-host child's view: {string.Join(", ", nearView)}");
        var farView = await otherHost.PathsAsync();
        Assert.DoesNotContain(farView, p => p.Value.Ring > 0);

        // Why the other host is reached over TCP is said once, however much traffic follows.
        far.Tell("again");
        ExpectMsg("again");
        var fallbacks = infos.ReceiveWhile(TimeSpan.FromMilliseconds(500), m => m as Info)
            .Select(i => i?.Message?.ToString() ?? "")
            .Where(text => text.Contains($"associations with {farAddress.ToString()[5..]}", StringComparison.Ordinal)
                           || text.Contains($"associations with {farAddress}", StringComparison.Ordinal))
            .ToList();
        Assert.Single(fallbacks);
        Assert.Contains("use TCP", fallbacks[0]);

        Watch(near);
        sameHost.Kill();
        // Akka's own detector allows a 10 s pause (its default): Terminated within this wait comes from the ring's verdict.
        ExpectTerminated(near, TimeSpan.FromSeconds(6));
        Assert.NotNull(PeerLiveness.For(Sys).GoneReason(nearAddress));

        // The other host is unaffected.
        far.Tell("still there");
        ExpectMsg("still there");
    }

    private async Task<IActorRef> TargetAsync(string address)
    {
        var identity = await Sys.ActorSelection($"{address}/user/target").Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(30));
        return identity.Subject ?? throw new InvalidOperationException($"{address}/user/target did not answer");
    }

    private static string Describe(SameHostPaths paths) => string.Join(", ", paths.Snapshot());

    protected override void AfterAll()
    {
        try
        {
            base.AfterAll();
        }
        finally
        {
            _host.Dispose();
            _otherHost.Dispose();
        }
    }
}
