using Akka.Configuration;
using XStateNet.Actors.Transport.Pipes;
using XStateNet.Actors.Transport.SharedMemory;

namespace XStateNet.Actors.Bench.CrossProcess;

/// <summary>
/// One transport the benchmark runs: its name on the command line and in the table, and the node configuration
/// (port 0) that switches a node to it. Adding a transport is one more entry.
/// </summary>
/// <param name="ReportsDeath">Whether the transport reports a killed peer (then the kill -9 figure is measured).</param>
internal sealed record TransportCase(string Name, Func<string, Config> NodeConfig, bool ReportsDeath);

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
        // The same transports reading only on each connection's own thread: what the hot-read window buys, side by side.
        new("pipe-no-hot-reads", prefix => ConfigurationFactory.ParseString($"akka.remote.pipe.hot-read-window = 0, akka.remote.pipe.file-prefix = \"{prefix}\"")
            .WithFallback(PipeConfig.Ready), ReportsDeath: false),
        new("shm-no-hot-reads", prefix => ConfigurationFactory.ParseString($"akka.remote.shm.hot-read-window = 0, akka.remote.shm.file-prefix = \"{prefix}\"")
            .WithFallback(ShmConfig.Ready), ReportsDeath: false),
    ];

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
