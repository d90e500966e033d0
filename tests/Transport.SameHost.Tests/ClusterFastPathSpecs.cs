using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.TestKit.Xunit2;
using Xunit.Abstractions;
using XStateNet.Actors.Tests.Shared;

namespace XStateNet.Actors.Transport.SameHost.Tests;

/// <summary>
/// provider = cluster, four nodes: this test's node (A) and two children (B, C) share a directory (one host), a third
/// child (D) has its own (another host). The cluster forms on akka.tcp addresses; the same-host pairs run on the ring,
/// every pair with D on TCP; a message crosses every pair. C paused for 2 s stays a member. B killed with kill -9 is
/// downed by the fast path and removed (seen at every survivor; the time printed, not asserted), the cluster keeps
/// working, and B restarted at its address rejoins. D killed with kill -9 is left to Akka: unreachable, then downed
/// by the split brain resolver, never by the fast path.
/// </summary>
public sealed class ClusterFastPathSpecs : TestKit
{
    private const string System = "cluster";
    private const string ClusterConfig = """
        akka.actor.provider = cluster
        akka.cluster.downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
        akka.cluster.split-brain-resolver.active-strategy = keep-majority
        akka.cluster.split-brain-resolver.stable-after = 5s
        """;

    private readonly TempShmDirectory _host;
    private readonly TempShmDirectory _otherHost;
    private readonly ITestOutputHelper _output;

    public ClusterFastPathSpecs(ITestOutputHelper output) : this(new TempShmDirectory("xsn-samehost-"), new TempShmDirectory("xsn-samehost-"), output)
    {
    }

    private ClusterFastPathSpecs(TempShmDirectory host, TempShmDirectory otherHost, ITestOutputHelper output)
        : base(RemoteFastPathSpecs.NodeConfig(host, ClusterConfig), System, output)
    {
        _host = host;
        _otherHost = otherHost;
        _output = output;
    }

    [Fact]
    public async Task Same_host_members_use_the_ring_a_killed_one_is_downed_and_removed_by_the_fast_path_other_hosts_keep_akkas_path()
    {
        var warnings = new List<string>();
        var watcher = Sys.ActorOf(Props.Create(() => new Collect(warnings)), "warnings");
        Sys.EventStream.Subscribe(watcher, typeof(Warning));
        Sys.ActorOf(Props.Create(() => new Echo()), "target");
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        var a = cluster.SelfAddress.ToString();
        await cluster.JoinAsync(cluster.SelfAddress);

        var started = await Task.WhenAll(
            NodeProcess.StartAsync(_host.Path, _host.Prefix, System, cluster: true, seed: a),
            NodeProcess.StartAsync(_host.Path, _host.Prefix, System, cluster: true, seed: a),
            NodeProcess.StartAsync(_otherHost.Path, _otherHost.Prefix, System, cluster: true, seed: a));
        var (b, c, d) = (started[0], started[1], started[2]);
        NodeProcess? restartedB = null;
        try
        {
            await AwaitUpAsync(cluster, a, b.Address, c.Address, d.Address);

            // A message crosses every pair, both ways.
            await PingAsync(b.Address, c.Address, d.Address);
            await b.PingAsync(a, c.Address, d.Address);
            await c.PingAsync(a, b.Address, d.Address);
            await d.PingAsync(a, b.Address, c.Address);

            // Per pair: the same-host ones ran on the ring only, every pair with D on TCP only.
            var views = new Dictionary<string, Dictionary<string, (int Ring, int Tcp)>>
            {
                [a] = SameHostPaths.For(Sys).Snapshot().ToDictionary(p => p.Peer.ToString(), p => (p.Ring, p.Tcp)),
                [b.Address] = await b.PathsAsync(),
                [c.Address] = await c.PathsAsync(),
                [d.Address] = await d.PathsAsync(),
            };
            foreach (var (node, view) in views) _output.WriteLine($"{node}: {string.Join(", ", view)}");
            string[] sameHost = [a, b.Address, c.Address];
            foreach (var x in views.Keys)
            {
                foreach (var y in views.Keys.Where(y => string.CompareOrdinal(x, y) < 0))
                {
                    var (ring, tcp) = Pair(views, x, y);
                    if (sameHost.Contains(x) && sameHost.Contains(y))
                        Assert.True(ring > 0 && tcp == 0, $"{x} <-> {y} should run on the ring: ring {ring}, tcp {tcp}");
                    else
                        Assert.True(ring == 0 && tcp > 0, $"{x} <-> {y} should run on TCP: ring {ring}, tcp {tcp}");
                }
            }

            // A member paused for 2 s is alive (its pid runs): not downed.
            c.Pause();
            await Task.Delay(TimeSpan.FromSeconds(2));
            c.Resume();
            await PingAsync(c.Address);
            Assert.Contains(cluster.State.Members, m => m.Address.ToString() == c.Address && m.Status == MemberStatus.Up);

            // kill -9 of a same-host member: downed by the fast path, removed; the cluster keeps working.
            var bPort = Address.Parse(b.Address).Port!.Value;
            var clock = global::System.Diagnostics.Stopwatch.StartNew();
            var timeline = Sys.ActorOf(Props.Create(() => new Timeline(clock)), "timeline");
            cluster.Subscribe(timeline, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
                typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.LeaderChanged));
            await Task.Delay(200); // the initial state, before the clock starts
            clock.Restart();
            b.Kill();
            await AwaitAssertAsync(() => Assert.DoesNotContain(cluster.State.Members, m => m.Address.ToString() == b.Address && m.Status == MemberStatus.Up),
                TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(20));
            var downed = clock.ElapsedMilliseconds;
            var removed = await timeline.Ask<long>(new Timeline.AwaitRemoved(b.Address), TimeSpan.FromSeconds(30));
            _output.WriteLine($"same-host member kill -9 -> Down in {downed} ms, MemberRemoved here in {removed} ms (not asserted)");
            foreach (var line in await timeline.Ask<string[]>(Timeline.Report.Instance, TimeSpan.FromSeconds(5))) _output.WriteLine("  " + line);
            foreach (var line in c.AkkaLog.Concat(d.AkkaLog).Where(l => l.Contains(b.Address, StringComparison.Ordinal) && !l.Contains("deadLetters", StringComparison.Ordinal)))
                _output.WriteLine("  child: " + line);
            Assert.DoesNotContain(cluster.State.Members, m => m.Address.ToString() == b.Address);
            // The other survivors, the other host's member included, have removed it too.
            foreach (var survivor in new[] { c, d }) await AwaitRemovedAtAsync(survivor, b.Address);
            Assert.Contains(Logged(warnings, c), w => w.Contains("downing " + b.Address, StringComparison.Ordinal));
            await PingAsync(c.Address, d.Address);
            await c.PingAsync(a, d.Address);

            // Restarted at the same address, it rejoins (and runs on the ring again).
            restartedB = await NodeProcess.StartAsync(_host.Path, _host.Prefix, System, cluster: true, port: bPort, seed: a);
            Assert.Equal(b.Address, restartedB.Address);
            await AwaitUpAsync(cluster, a, restartedB.Address, c.Address, d.Address);
            await restartedB.PingAsync(a, c.Address, d.Address);

            // kill -9 of the other host's member: Akka's failure detector and the split brain resolver, not the fast path.
            clock.Restart();
            d.Kill();
            await AwaitAssertAsync(() => Assert.DoesNotContain(cluster.State.Members, m => m.Address.ToString() == d.Address),
                TimeSpan.FromSeconds(40), TimeSpan.FromMilliseconds(200));
            _output.WriteLine($"other-host member kill -9 -> removed by Akka's detector and the SBR (stable-after 5 s) in {clock.ElapsedMilliseconds} ms");
            Assert.DoesNotContain(Logged(warnings, c, restartedB), w => w.Contains("downing " + d.Address, StringComparison.Ordinal));
            await PingAsync(c.Address, restartedB.Address);
        }
        finally
        {
            restartedB?.Dispose();
            foreach (var node in started) node.Dispose();
        }
    }

    /// <summary>What a pair's two ends counted for each other: ring and TCP associations (inbound TCP is counted under the socket's address, so only outbound TCP shows here).</summary>
    private static (int Ring, int Tcp) Pair(Dictionary<string, Dictionary<string, (int Ring, int Tcp)>> views, string x, string y)
    {
        var xy = views[x].GetValueOrDefault(y);
        var yx = views[y].GetValueOrDefault(x);
        return (xy.Ring + yx.Ring, xy.Tcp + yx.Tcp);
    }

    private static string[] Logged(List<string> warnings, params NodeProcess[] nodes)
    {
        lock (warnings) return [.. warnings, .. nodes.SelectMany(n => n.Logs)];
    }

    /// <summary>Waits (generously, not a timing assert) until <paramref name="node"/>'s cluster state no longer lists <paramref name="gone"/>.</summary>
    private static async Task AwaitRemovedAtAsync(NodeProcess node, string gone)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var members = await node.AskAsync("members", TimeSpan.FromSeconds(30), "MEMBERS ");
            if (!members.Split(' ').Any(m => m.StartsWith(gone + "=", StringComparison.Ordinal))) return;
            Assert.True(DateTime.UtcNow < deadline, $"{node.Address} still lists {gone}: {members}");
            await Task.Delay(100);
        }
    }

    private async Task AwaitUpAsync(Akka.Cluster.Cluster cluster, params string[] members) =>
        await AwaitAssertAsync(() =>
        {
            var up = cluster.State.Members.Where(m => m.Status == MemberStatus.Up).Select(m => m.Address.ToString()).ToHashSet();
            Assert.Subset(up, members.ToHashSet());
            Assert.Equal(members.Length, cluster.State.Members.Count);
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));

    private async Task PingAsync(params string[] addresses)
    {
        foreach (var address in addresses)
        {
            var reply = await Sys.ActorSelection($"{address}/user/target").Ask<string>("ping", TimeSpan.FromSeconds(15));
            Assert.Equal("ping", reply);
        }
    }

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

    /// <summary>
    /// This node's cluster events with the time they arrived (ms on the test's clock), and who asked to hear of a
    /// member's removal: the figure the test prints for "downed and removed".
    /// </summary>
    private sealed class Timeline : ReceiveActor
    {
        public sealed record AwaitRemoved(string Address);

        public sealed class Report
        {
            public static readonly Report Instance = new();
        }

        public Timeline(global::System.Diagnostics.Stopwatch clock)
        {
            var events = new List<string>();
            var removed = new Dictionary<string, long>();
            var waiting = new List<(string Address, IActorRef Who)>();
            Receive<ClusterEvent.CurrentClusterState>(_ => { });
            Receive<ClusterEvent.IClusterDomainEvent>(e =>
            {
                var at = clock.ElapsedMilliseconds;
                events.Add($"{at,6} ms {e}");
                if (e is not ClusterEvent.MemberRemoved r) return;
                var address = r.Member.Address.ToString();
                removed[address] = at;
                foreach (var w in waiting.Where(w => w.Address == address).ToList())
                {
                    w.Who.Tell(at);
                    waiting.Remove(w);
                }
            });
            Receive<AwaitRemoved>(a =>
            {
                if (removed.TryGetValue(a.Address, out var at)) Sender.Tell(at);
                else waiting.Add((a.Address, Sender));
            });
            Receive<Report>(_ => Sender.Tell(events.ToArray()));
        }
    }

    /// <summary>Keeps this node's warnings (where the fast path says whom it downed).</summary>
    private sealed class Collect : ReceiveActor
    {
        public Collect(List<string> into) => Receive<Warning>(w =>
        {
            lock (into) into.Add(w.Message?.ToString() ?? "");
        });
    }
}
