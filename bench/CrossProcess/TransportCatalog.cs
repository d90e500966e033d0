using Akka.Configuration;
using XStateNet.Actors.Transports;

namespace XStateNet.Actors.Bench.CrossProcess;

/// <summary>
/// One transport the benchmark runs: its name on the command line and in the table, and the node configuration
/// (port 0) that switches a node to it. Adding a transport is one more entry.
/// </summary>
/// <param name="ReportsDeath">Whether the transport reports a killed peer (then the kill -9 figure is measured).</param>
internal sealed record TransportCase(string Name, Func<string, Config> NodeConfig, bool ReportsDeath);

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
        // The same transports reading only on each connection's own thread: what the hot-read window buys, side by side.
        Case(KnownTransports.Pipe, "no-hot-reads", ReportsDeath: false),
        Case(KnownTransports.Shm, "no-hot-reads", ReportsDeath: false),
    ];

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
