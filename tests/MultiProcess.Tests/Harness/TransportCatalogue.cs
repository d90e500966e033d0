using System.Net.Sockets;

namespace XStateNet.Actors.MultiProcess.Tests.Harness;

/// <summary>
/// The transports every multi-process spec runs over. <see cref="UnderTest"/> is the theory data: a transport
/// joins the suite by adding its name there (its definition below, its project referenced in both csproj files).
/// </summary>
public static class TransportCatalogue
{
    /// <summary>The transports whose specs run. Add "pipe" and "shm" here once their transports are on main.</summary>
    public static TheoryData<string> UnderTest => new()
    {
        "tcp",
        "pipe",
        "shm",
    };

    private static readonly Dictionary<string, TransportUnderTest> All = new[]
    {
        new TransportUnderTest
        {
            Name = "tcp",
            HoconFile = "tcp.conf",
            Section = "akka.remote.dot-netty.tcp",
            Protocol = "akka.tcp",
            Hostname = "127.0.0.1",
            AllocatePort = _ => TransportUnderTest.FreeTcpPort(),
            WriteGarbage = (node, _) => WriteGarbageToSocket(
                new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, node.Address.Port!.Value), AddressFamily.InterNetwork, ProtocolType.Tcp,
                "its TCP port"),
            GarbageLogged = [new(@"\[ERROR\].*Error caught channel|CorruptedFrameException")],
        },
        new TransportUnderTest
        {
            Name = "pipe",
            HoconFile = "pipes.conf",
            Section = "akka.remote.pipe",
            Protocol = "akka.pipe",
            Hostname = "localhost",
            AllocatePort = run => run.NextNamePort(),
            RunSettings = run =>
            [
                new("akka.remote.pipe.file-prefix", Quote(run.Prefix.TrimEnd('-'))),
                // The run's own host directory (removed with the run's files): runs never see each other's machine ids.
                new("xstatenet.directory.path", Quote(Path.Combine(Path.GetTempPath(), run.Prefix + "directory"))),
            ],
            // The pipe is "<temp>/<prefix><host>-<port>" with "<...>.lock" beside it; .NET's own pipes would be CoreFxPipe_<name>.
            FilesOfRun = run => RunFiles.EntriesStartingWith(Path.GetTempPath(), run.Prefix, "CoreFxPipe_" + run.Prefix),
            WriteGarbage = (node, run) => WriteGarbageToSocket(
                new System.Net.Sockets.UnixDomainSocketEndPoint(Path.Combine(Path.GetTempPath(), $"{run.Prefix}{node.Address.Host}-{node.Address.Port}")),
                AddressFamily.Unix, ProtocolType.Unspecified, "its pipe"),
            GarbageLogged = [new(@"\[(ERROR|WARNING)\].*(bad input|Rejected a connection)")],
        },
        new TransportUnderTest
        {
            Name = "shm",
            HoconFile = "shm.conf",
            Section = "akka.remote.shm",
            Protocol = "akka.shm",
            Hostname = "localhost",
            AllocatePort = run => run.NextNamePort(),
            // Control sockets "<dir>/<prefix>-<host>-<port>.sock" (segments are memfds: no files).
            RunSettings = run =>
            [
                new("akka.remote.shm.file-prefix", Quote(run.Prefix.TrimEnd('-'))),
                new("xstatenet.directory.path", Quote(Path.Combine(ShmForeignInput.Directory, run.Prefix + "directory"))),
            ],
            FilesOfRun = run => RunFiles.EntriesStartingWith(ShmForeignInput.Directory, run.Prefix),
            WriteGarbage = ShmForeignInput.Write,
            GarbageLogged =
            [
                new(@"\[(ERROR|WARNING)\].*control socket.*(garbage|refused)"),
                new(@"\[(ERROR|WARNING)\].*segment.*(wrong magic|refused)"),
            ],
        },
    }.ToDictionary(transport => transport.Name, StringComparer.Ordinal);

    /// <summary>The definition of a transport by its theory name.</summary>
    public static TransportUnderTest Get(string name) =>
        All.TryGetValue(name, out var transport)
            ? transport
            : throw new ArgumentException($"no transport named '{name}' in the catalogue (known: {string.Join(", ", All.Keys)})", nameof(name));

    private static string Quote(string text) => "\"" + text + "\"";

    /// <summary>Connects as a foreign client would, writes bytes that are no valid frame, and hangs up.</summary>
    internal static async Task<string> WriteGarbageToSocket(System.Net.EndPoint endpoint, AddressFamily family, ProtocolType protocol, string where)
    {
        var garbage = new byte[4096];
        new Random(6).NextBytes(garbage);
        // A first word that reads as an absurd length, then noise: what a confused or hostile client sends.
        garbage[0] = 0x7F;
        garbage[1] = 0xFF;
        garbage[2] = 0xFF;
        garbage[3] = 0xF0;
        using var socket = new Socket(family, SocketType.Stream, protocol);
        await socket.ConnectAsync(endpoint);
        await socket.SendAsync(garbage, SocketFlags.None);
        await Task.Delay(200); // let the node read it before the hang-up
        socket.Shutdown(SocketShutdown.Both);
        return $"wrote {garbage.Length} bytes of garbage to {where} ({endpoint})";
    }
}
