using Akka.Configuration;
using XStateNet.Actors.Transport.Pipes;
using XStateNet.Actors.Transport.SameHost;
using XStateNet.Actors.Transport.SharedMemory;

namespace XStateNet.Actors.Bench.CrossProcess;

/// <summary>
/// One transport the benchmark runs: its name on the command line and in the table, and the node configuration
/// (port 0) that switches a node to it. Adding a transport is one more entry.
/// </summary>
/// <param name="ReportsDeath">Whether the transport reports a killed peer (then the kill -9 figure is measured).</param>
/// <param name="Cluster">
/// Whether the two nodes run provider = cluster and join each other (one cluster, system <see cref="TransportCatalog.ClusterSystem"/>)
/// before the measurement.
/// </param>
internal sealed record TransportCase(string Name, Func<string, Config> NodeConfig, bool ReportsDeath, bool Cluster = false);

internal static class TransportCatalog
{
    /// <summary>The reference first: ratios are to it.</summary>
    public static readonly IReadOnlyList<TransportCase> All =
    [
        new("tcp", _ => ConfigurationFactory.ParseString("""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            """), ReportsDeath: false),
        new("pipe", prefix => ConfigurationFactory.ParseString($"akka.remote.pipe.file-prefix = \"{prefix}\"")
            .WithFallback(PipeConfig.Ready), ReportsDeath: true),
        new("shm", prefix => ConfigurationFactory.ParseString($"akka.remote.shm.file-prefix = \"{prefix}\"")
            .WithFallback(ShmConfig.Ready), ReportsDeath: true),
        // Akka's TCP with the same-host fast path: akka.tcp addresses, the shm ring underneath (issue 18).
        new("same-host", prefix => ConfigurationFactory.ParseString($$"""
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            akka.remote.same-host.file-prefix = "{{prefix}}"
            """).WithFallback(SameHostConfig.Ready), ReportsDeath: true),
        // Two members of one Akka.Cluster on this host: plain TCP, then with the same-host fast path (only with --only).
        new("tcp-cluster", _ => ConfigurationFactory.ParseString("""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            """), ReportsDeath: false, Cluster: true),
        new("same-host-cluster", prefix => ConfigurationFactory.ParseString($$"""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            akka.remote.same-host.file-prefix = "{{prefix}}"
            """).WithFallback(SameHostConfig.Ready), ReportsDeath: false, Cluster: true),
        // The same transports reading only on each connection's own thread: what the hot-read window buys, side by side.
        new("pipe-no-hot-reads", prefix => ConfigurationFactory.ParseString($"akka.remote.pipe.hot-read-window = 0, akka.remote.pipe.file-prefix = \"{prefix}\"")
            .WithFallback(PipeConfig.Ready), ReportsDeath: false),
        new("shm-no-hot-reads", prefix => ConfigurationFactory.ParseString($"akka.remote.shm.hot-read-window = 0, akka.remote.shm.file-prefix = \"{prefix}\"")
            .WithFallback(ShmConfig.Ready), ReportsDeath: false),
    ];

    /// <summary>The actor system name of both nodes of a cluster row (members of one cluster share it).</summary>
    public const string ClusterSystem = "BenchCluster";

    /// <summary>The rows a run without --only measures: the cluster rows only when asked for.</summary>
    public static IEnumerable<TransportCase> Default => All.Where(t => !t.Cluster);

    /// <summary>Settings every node of the benchmark shares, on top of the transport's.</summary>
    public static Config Common { get; } = ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.log-dead-letters = off
        akka.log-dead-letters-during-shutdown = off
        akka.remote.log-remote-lifecycle-events = off
        """);

    public static TransportCase Find(string name) =>
        All.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"Unknown transport '{name}'. Known: {string.Join(", ", All.Select(t => t.Name))}.");
}
