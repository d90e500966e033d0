using Akka.Configuration;
using XStateNet.Actors.Transport.SameHost;
using XStateNet.Actors.Transports;

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
    /// <summary>The reference first: ratios are to it. Transports come from the repository's catalogue (<see cref="KnownTransports"/>).</summary>
    public static readonly IReadOnlyList<TransportCase> All =
    [
        // Akka.Remote's TCP as a user gets it without our ready file (DotNetty's defaults): the reference of every ratio.
        new("tcp", _ => ConfigurationFactory.ParseString($"""
            akka.actor.provider = remote
            akka.remote.enabled-transports = ["{KnownTransports.Tcp.Section}"]
            {KnownTransports.Tcp.NodeHocon(0, null)}
            """), ReportsDeath: false),
        Case(KnownTransports.Pipe, "", ReportsDeath: true),
        Case(KnownTransports.Shm, "", ReportsDeath: true),
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
        Case(KnownTransports.Pipe, "no-hot-reads", ReportsDeath: false),
        Case(KnownTransports.Shm, "no-hot-reads", ReportsDeath: false),
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

    /// <summary>A node of <paramref name="known"/> on any free port with the run's file prefix; <c>no-hot-reads</c> turns the hot-read window off.</summary>
    private static TransportCase Case(KnownTransport known, string variant, bool ReportsDeath) =>
        new(variant.Length == 0 ? known.Name : $"{known.Name}-{variant}", prefix => ConfigurationFactory.ParseString(
                (variant.Length == 0 ? "" : $"{known.Section}.hot-read-window = 0\n") + known.NodeHocon(0, prefix))
            .WithFallback(known.Ready()), ReportsDeath);

    public static TransportCase Find(string name) =>
        All.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"Unknown transport '{name}'. Known: {string.Join(", ", All.Select(t => t.Name))}.");
}
