// Usage: TestHost <directory> <system> [<file-prefix>]
// Starts <system> on the shared-memory transport (control socket in <directory>, a free port), creates /user/target
// (echo), prints "READY <address>" and runs until its standard input closes: a test that dies takes this process
// with it. Commands on standard input:
//   corrupt  play a hostile peer: try to truncate every segment this process maps, claim a 1 GiB ring in each header,
//            fill this side's outbound ring with impossible record lengths; prints "CORRUPTED <what happened>".
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Transport.SharedMemory;

if (args.Length is < 2 or > 3)
{
    Console.Error.WriteLine("usage: TestHost <directory> <system> [<file-prefix>]");
    return 2;
}

var prefix = args.Length == 3 ? $", file-prefix = \"{args[2]}\"" : "";
var config = ConfigurationFactory.ParseString($$"""
    akka.remote.shm { directory = "{{args[0]}}", hostname = "localhost", port = 0 {{prefix}} }
    akka.loglevel = WARNING
    """).WithFallback(ShmConfig.Ready).WithFallback(XStateNetConfig.Default);
using var system = ActorSystem.Create(args[1], config);
system.ActorOf(Props.Create(() => new Echo()), "target");
Console.WriteLine($"READY {((ExtendedActorSystem)system).Provider.DefaultAddress}");
Console.Out.Flush();
while (Console.ReadLine() is { } command)
{
    if (command == "corrupt")
    {
        Console.WriteLine("CORRUPTED " + HostilePeer.CorruptOwnSegments());
        Console.Out.Flush();
    }
}

await system.Terminate();
return 0;

internal sealed class Echo : ReceiveActor
{
    public Echo() => ReceiveAny(message => Sender.Tell(message));
}

/// <summary>What a buggy or hostile peer can do to the segments it maps, with nothing but its own descriptors.</summary>
internal static class HostilePeer
{
    private const ulong Magic = 0x42524D48534E5358;
    private const int HeaderBytes = 4096;

    public static string CorruptOwnSegments()
    {
        var report = new List<string>();
        foreach (var link in Directory.GetFiles("/proc/self/fd"))
        {
            var target = new FileInfo(link).LinkTarget;
            if (target is null || !target.StartsWith("/memfd:", StringComparison.Ordinal)) continue;
            var fd = int.Parse(Path.GetFileName(link));
            using var stream = new FileStream(link, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            var header = new byte[32];
            stream.ReadExactly(header);
            if (BitConverter.ToUInt64(header) != Magic) continue;
            var capacity = BitConverter.ToInt64(header, 16);
            var creator = BitConverter.ToInt32(header, 24);

            var truncated = ftruncate(fd, HeaderBytes) == 0 ? "truncated" : $"truncate refused: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}";
            stream.Position = 16;
            stream.Write(BitConverter.GetBytes(1L << 30));
            // This side's outbound ring: ring 0 if it created the segment, ring 1 otherwise.
            var ring = creator == Environment.ProcessId ? 0 : 1;
            var garbage = new byte[capacity];
            for (var i = 0; i < garbage.Length; i += 4) BitConverter.TryWriteBytes(garbage.AsSpan(i), 0x7FFFFFF0);
            stream.Position = HeaderBytes + ring * capacity;
            stream.Write(garbage);
            report.Add($"{target}: {truncated}, ring {ring} filled with impossible lengths");
        }

        return report.Count == 0 ? "nothing" : string.Join("; ", report);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int ftruncate(int fd, long length);
}
