using System.Net;
using System.Net.Sockets;
using Akka.Configuration;
using XStateNet.Actors.Transports;

namespace XStateNet.Actors.TestKit.Transports;

/// <summary>
/// What the TestKit must know about one transport to run a spec over it: the catalogue's facts (ready configuration,
/// address settings), how one run gets names no other run shares, and which files a run may leave behind.
/// </summary>
internal sealed record NodeTransport
{
    /// <summary>The transport as the repository's catalogue knows it.</summary>
    public required KnownTransport Known { get; init; }

    /// <summary>The theory's name for it: <c>tcp</c>, <c>pipe</c>, <c>shm</c>.</summary>
    public string Name => Known.Name;

    /// <summary>The ready configuration that switches a node to this transport (provider, enabled transport, detectors).</summary>
    public Config ReadyConfig() => Known.Ready();

    /// <summary>The transport's HOCON section, which has <c>hostname</c>, <c>port</c> and <c>applied-adapters</c>.</summary>
    public string Section => Known.Section;

    /// <summary>The scheme of its addresses without Akka's <c>akka.</c>, e.g. <c>tcp</c>.</summary>
    public string Scheme => Known.Scheme;

    /// <summary>The host part of every node's address.</summary>
    public string Hostname => Known.Hostname;

    /// <summary>A port for a node whose address others must know before it starts.</summary>
    public required Func<RunNames, int> AllocatePort { get; init; }

    /// <summary>HOCON lines that give this run's pipes or sockets names of their own.</summary>
    public Func<RunNames, IReadOnlyList<string>> RunSettings { get; init; } = static _ => [];

    /// <summary>The files this run's nodes created that still exist.</summary>
    public Func<RunNames, IReadOnlyList<string>> FilesOfRun { get; init; } = static _ => [];

    /// <summary>Akka's protocol of the node addresses, with the throttler's scheme in front when network faults are on.</summary>
    public string Protocol(bool networkFaults) => networkFaults ? $"akka.trttl.{Scheme}" : $"akka.{Scheme}";

    /// <summary>
    /// A free TCP port on loopback, never one this process handed out before: the kernel may hand a port it just got
    /// back to the next caller, and two nodes of one spec must not be planned on the same port.
    /// </summary>
    public static int FreeTcpPort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (IssuedTcpPorts)
            {
                if (IssuedTcpPorts.Add(port)) return port;
            }
        }
    }

    private static readonly HashSet<int> IssuedTcpPorts = [];

    /// <inheritdoc />
    public override string ToString() => Name;
}
