using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using XStateNet.Actors.Configuration;

namespace XStateNet.Actors.Sharding.Tests;

/// <summary>Actor systems of one test process, joined into one cluster over Akka's TCP on loopback (random ports).</summary>
internal sealed class ClusterNodes : IAsyncDisposable
{
    private readonly List<ActorSystem> _nodes = new();
    private readonly string _name = "Shards" + Guid.NewGuid().ToString("N")[..8];

    public IReadOnlyList<ActorSystem> Nodes => _nodes;

    /// <summary>
    /// Starts a node with <paramref name="store"/> as its persistence (and <paramref name="setup"/> in its actor-system
    /// setup, e.g. <see cref="MachineStore.SqliteSetup"/>), and joins it to the first node (or itself).
    /// </summary>
    public async Task<ActorSystem> StartAsync(Config store, string extra = "", Akka.Actor.Setup.Setup? setup = null)
    {
        var config = ConfigurationFactory.ParseString($$"""
                akka.loglevel = WARNING
                akka.actor.provider = cluster
                akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
                akka.cluster.min-nr-of-members = 1
                akka.coordinated-shutdown.exit-clr = off
                akka.coordinated-shutdown.run-by-actor-system-terminate = on
                {{extra}}
                """)
            .WithFallback(store)
            .WithFallback(XStateNetConfig.Default);
        var bootstrap = BootstrapSetup.Create().WithConfig(config);
        var system = setup is null ? ActorSystem.Create(_name, config) : ActorSystem.Create(_name, bootstrap.And(setup));
        _nodes.Add(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cluster = Cluster.Get(system);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        await cluster.JoinAsync(Cluster.Get(_nodes[0]).SelfAddress).WaitAsync(TimeSpan.FromSeconds(30));
        await up.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return system;
    }

    /// <summary>Leaves the cluster gracefully (shards hand off) and terminates the node.</summary>
    public async Task StopAsync(ActorSystem system)
    {
        _nodes.Remove(system);
        await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance).WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Stops the node without leaving the cluster (start it with <c>run-by-actor-system-terminate = off</c>): the others
    /// see it unreachable, as if its process had died, until someone downs it.
    /// </summary>
    public async Task AbandonAsync(ActorSystem system)
    {
        _nodes.Remove(system);
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Enumerable.Reverse(_nodes).ToList())
        {
            try
            {
                await node.Terminate().WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (TimeoutException)
            {
                // Nothing left to wait for: the test has its verdict; the process ends with the run.
            }
        }
        _nodes.Clear();
    }
}
