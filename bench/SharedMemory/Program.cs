// Shared-memory ring benchmark, no actors: a parent process writes 64-byte messages into a segment, a child process
// (this program started with --child) reads them. Prints one-way throughput and round-trip latency.
//   dotnet run -c Release --project bench/SharedMemory [-- --messages 20000000 --round-trips 200000]
using System.Diagnostics;
using XStateNet.Actors.Bench.SharedMemory;

if (args.Length == 3 && args[0] == "--child")
{
    return RingPeer.Run(int.Parse(args[1]), int.Parse(args[2]));
}

var messages = Option(args, "--messages", 20_000_000);
var roundTrips = Option(args, "--round-trips", 200_000);
using var bench = RingBench.Start(messages, roundTrips);
bench.Run();
return 0;

static int Option(string[] args, string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1]) : fallback;
}

namespace XStateNet.Actors.Bench.SharedMemory
{
    internal static class Launch
    {
        /// <summary>Starts this same program as the child, whether run by its apphost or by 'dotnet'.</summary>
        /// <param name="segmentDescriptor">The parent's descriptor of the segment (the child opens it through /proc).</param>
        public static Process Child(int segmentDescriptor)
        {
            var self = Environment.ProcessPath!;
            var info = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardInput = true };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet") info.ArgumentList.Add(typeof(Launch).Assembly.Location);
            info.ArgumentList.Add("--child");
            info.ArgumentList.Add(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            info.ArgumentList.Add(segmentDescriptor.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return Process.Start(info)!;
        }
    }
}
