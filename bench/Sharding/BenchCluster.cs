using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Sharding;

namespace XStateNet.Actors.Bench.Sharding;

/// <summary>Three cluster nodes in this process, over Akka's TCP on loopback (random ports), sharing one journal.</summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private readonly List<ActorSystem> _nodes = new();

    public IReadOnlyList<ActorSystem> Nodes => _nodes;

    public static async Task<BenchCluster> StartAsync(int nodes, Config store, Akka.Actor.Setup.Setup? persistence = null)
    {
        var cluster = new BenchCluster();
        var name = "Bench" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < nodes; i++)
        {
            var config = ConfigurationFactory.ParseString("""
                    akka.loglevel = WARNING
                    akka.actor.provider = cluster
                    akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
                    akka.coordinated-shutdown.exit-clr = off
                    akka.cluster.sharding.state-store-mode = ddata
                    # The three nodes share this process: a pause (a long full GC of a heap of 100,000 machines on a
                    # loaded machine) pauses all of them at once, so it is no failure to act on. Without these, a 12 s
                    # pause made the nodes mark one another unreachable and the runtime restart a node mid-run.
                    akka.cluster.failure-detector.acceptable-heartbeat-pause = 120s
                    akka.remote.watch-failure-detector.acceptable-heartbeat-pause = 120s
                    xstatenet.recovery { after-pause = off, on-quarantined = none }
                    """).WithFallback(store).WithFallback(XStateNetConfig.Default);
            var bootstrap = Akka.Actor.BootstrapSetup.Create().WithConfig(config);
            var system = persistence is null ? ActorSystem.Create(name, config) : ActorSystem.Create(name, bootstrap.And(persistence));
            cluster._nodes.Add(system);
            var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Cluster.Get(system).RegisterOnMemberUp(() => up.TrySetResult());
            await Cluster.Get(system).JoinAsync(Cluster.Get(cluster._nodes[0]).SelfAddress);
            await up.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        return cluster;
    }

    public async Task StartTypeAsync(string typeName, ShardedMachineOptions options)
    {
        foreach (var node in _nodes) await ShardedMachines.For(node).StartAsync(typeName, options);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Enumerable.Reverse(_nodes)) await node.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
        _nodes.Clear();
    }
}
