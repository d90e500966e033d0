using System.Diagnostics;
using System.Text.Json;
using Spectre.Console;

namespace XStateNet.Actors.Bench.CrossProcess.Soak;

/// <summary>How the soak runs: nodes all-to-all, a paced phase and an unpaced flood.</summary>
/// <param name="Logs">A folder for each node's log (Akka's warnings and errors), or null.</param>
internal sealed record SoakSettings(int Nodes, TimeSpan Paced, double PerPairRate, TimeSpan Flood, int FloodWindow, string? Logs);

/// <summary>What one phase over one transport gave, summed over every ordered pair of nodes.</summary>
internal sealed record SoakResult(
    string Transport, string Phase, int Nodes, double Seconds, long Sent, long Received, long Lost, long Duplicated,
    long OutOfOrder, int PeersDeclaredGone, long RssStartBytes, long RssEndBytes);

/// <summary>
/// The soak benchmark: N child nodes send numbered messages all-to-all; afterwards every receiver's counts are
/// compared with every sender's. Not a test: it prints a table (sent, received, lost, duplicated, out of order, peers
/// declared gone, resident memory at start and end).
/// </summary>
internal static class SoakRun
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(30);

    public static async Task<IReadOnlyList<SoakResult>> RunAsync(SoakSettings settings, IEnumerable<TransportCase> transports, string prefix)
    {
        var results = new List<SoakResult>();
        foreach (var transport in transports)
        {
            if (settings.Paced > TimeSpan.Zero)
                results.Add(await PhaseAsync(transport, prefix, "paced", settings, settings.Paced, settings.PerPairRate, window: 0));
            if (settings.Flood > TimeSpan.Zero)
                results.Add(await PhaseAsync(transport, prefix, "flood", settings, settings.Flood, perPairRate: 0, settings.FloodWindow));
        }

        return results;
    }

    private static async Task<SoakResult> PhaseAsync(TransportCase transport, string prefix, string phase, SoakSettings settings,
        TimeSpan duration, double perPairRate, int window)
    {
        AnsiConsole.MarkupLine($"[grey]{transport.Name} {phase}: starting {settings.Nodes} nodes...[/]");
        var nodes = new List<ChildServer>();
        try
        {
            for (var i = 0; i < settings.Nodes; i++)
                nodes.Add(await ChildServer.StartAsync(["--soak-node", transport.Name, "--prefix", prefix],
                    $"{transport.Name} soak node {i}", Step, keepOutput: true,
                    settings.Logs is null ? null : Path.Combine(Directory.CreateDirectory(settings.Logs).FullName, $"{transport.Name}-{phase}-{i}.log")));

            var addresses = string.Join(' ', nodes.Select(n => n.Address.ToString()));
            await AllAsync(nodes, (node, i) => node.SendAsync($"PEERS {i} {addresses}"), "OK ");
            await AllAsync(nodes, (node, _) => node.SendAsync($"START {perPairRate} {window}"), "OK ");

            // Resident memory once the traffic runs (JIT, buffers and associations in place), then at the end.
            var warm = TimeSpan.FromTicks(duration.Ticks / 10);
            await Task.Delay(warm);
            var rssStart = await RssAsync(nodes);
            await Task.Delay(duration - warm);
            var rssEnd = await RssAsync(nodes);
            await AllAsync(nodes, (node, _) => node.SendAsync("STOP"), "OK ");

            // Messages still in flight arrive within moments; wait (up to a limit) until nothing is missing.
            var drain = Stopwatch.StartNew();
            while (true)
            {
                var reports = await ReportsAsync(nodes);
                var result = Sum(transport.Name, phase, settings.Nodes, duration, reports, rssStart, rssEnd);
                if (result.Lost == 0 || drain.Elapsed > DrainLimit) return result;
                await Task.Delay(1000);
            }
        }
        finally
        {
            foreach (var node in nodes) node.Dispose();
        }
    }

    private static SoakResult Sum(string transport, string phase, int count, TimeSpan duration, SoakNodeReport[] reports,
        long rssStart, long rssEnd)
    {
        long sent = 0, received = 0;
        foreach (var sender in reports)
        foreach (var receiver in reports)
        {
            if (sender.Node == receiver.Node) continue;
            sent += sender.SentTo[receiver.Node];
            received += receiver.ReceivedFrom[sender.Node];
        }

        return new SoakResult(transport, phase, count, duration.TotalSeconds, sent, received, sent - received,
            reports.Sum(r => r.Duplicates), reports.Sum(r => r.OutOfOrder), reports.Sum(r => r.PeersTerminated + r.Quarantines),
            rssStart, rssEnd);
    }

    private static async Task<SoakNodeReport[]> ReportsAsync(List<ChildServer> nodes)
    {
        foreach (var node in nodes) await node.SendAsync("REPORT");
        var reports = new SoakNodeReport[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
            reports[i] = JsonSerializer.Deserialize<SoakNodeReport>(await nodes[i].ReadLineAsync("RESULT ", Step))!;
        return reports;
    }

    /// <summary>The largest resident set among the nodes.</summary>
    private static async Task<long> RssAsync(List<ChildServer> nodes)
    {
        foreach (var node in nodes) await node.SendAsync("RSS");
        long max = 0;
        foreach (var node in nodes) max = Math.Max(max, long.Parse(await node.ReadLineAsync("RSS ", Step)));
        return max;
    }

    private static async Task AllAsync(List<ChildServer> nodes, Func<ChildServer, int, Task> send, string answer)
    {
        for (var i = 0; i < nodes.Count; i++) await send(nodes[i], i);
        foreach (var node in nodes) await node.ReadLineAsync(answer, Step);
    }

    public static void Print(IReadOnlyList<SoakResult> results)
    {
        var table = new Table().AddColumns("transport", "phase", "nodes", "seconds", "sent", "received", "lost", "duplicated",
            "out of order", "peers declared gone", "max RSS start", "max RSS end");
        foreach (var r in results)
            table.AddRow(r.Transport, r.Phase, r.Nodes.ToString(), r.Seconds.ToString("0"), r.Sent.ToString("N0"), r.Received.ToString("N0"),
                r.Lost.ToString("N0"), r.Duplicated.ToString("N0"), r.OutOfOrder.ToString("N0"), r.PeersDeclaredGone.ToString(),
                $"{r.RssStartBytes / 1048576.0:0} MiB", $"{r.RssEndBytes / 1048576.0:0} MiB");
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 150);
        AnsiConsole.Write(table);
    }
}
