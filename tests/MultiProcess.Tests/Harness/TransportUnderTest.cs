using System.Net;
using System.Net.Sockets;

namespace XStateNet.Actors.MultiProcess.Tests.Harness;

/// <summary>
/// What the harness must know about one transport to run every spec over it: its ready HOCON file, where its
/// address settings live, how one run gets names no other run shares, which files a run may leave behind, and
/// how to feed a node bad input from outside.
/// </summary>
public sealed record TransportUnderTest
{
    /// <summary>The theory's name for it: <c>tcp</c>, <c>pipe</c>, <c>shm</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The ready file under <c>hocon/</c> that switches a node to this transport.</summary>
    public required string HoconFile { get; init; }

    /// <summary>The transport's HOCON section, which has <c>hostname</c> and <c>port</c>.</summary>
    public required string Section { get; init; }

    /// <summary>Akka's scheme of its addresses, e.g. <c>akka.tcp</c>.</summary>
    public required string Protocol { get; init; }

    /// <summary>The host part of every node's address.</summary>
    public required string Hostname { get; init; }

    /// <summary>A port for a child whose address other nodes must know before it starts.</summary>
    public required Func<RunId, int> AllocatePort { get; init; }

    /// <summary>Settings (key, HOCON value) that give this run's pipes or segments names of their own.</summary>
    public Func<RunId, IReadOnlyList<KeyValuePair<string, string>>> RunSettings { get; init; } = static _ => [];

    /// <summary>The files this run's nodes created that still exist (pipes, lock files, segments).</summary>
    public Func<RunId, IReadOnlyList<string>> FilesOfRun { get; init; } = static _ => [];

    /// <summary>
    /// Feeds the node bad input from outside the transport's protocol (garbage on its socket or pipe, a foreign file
    /// where a segment is expected) and says what it did.
    /// </summary>
    public required Func<ChildNode, RunId, Task<string>> WriteGarbage { get; init; }

    /// <summary>What the node's log says about each bad input it was fed: the "clear errors" the spec looks for, in order.</summary>
    public required IReadOnlyList<System.Text.RegularExpressions.Regex> GarbageLogged { get; init; }

    /// <summary>
    /// A free TCP port on loopback, as the kernel hands them out (for transports whose port is a real port), never one
    /// this test process handed out before: the kernel may give a port it just got back to the next caller, and two
    /// children of one spec were seen listening on the same port (Akka's TCP sets tcp-reuse-addr).
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
