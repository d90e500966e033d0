using Spectre.Console;
using XStateNet.Actors.Samples.Pipeline.Baseline;

namespace XStateNet.Actors.Samples.Pipeline.Launching;

/// <summary>Live progress bars per stage while the run lasts, then the summary tables (Spectre.Console).</summary>
internal sealed class LiveView(IAnsiConsole console) : IRunView
{
    private readonly Dictionary<StageRole, ProgressTask> _bars = new();

    public async Task<T> RunAsync<T>(Func<Task<T>> loop)
    {
        T result = default!;
        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                foreach (var role in Enum.GetValues<StageRole>())
                {
                    _bars[role] = context.AddTask(Describe(role.ToString().ToLowerInvariant(), 0, 0, "starting"), maxValue: 1);
                }
                result = await loop().ConfigureAwait(false);
                foreach (var bar in _bars.Values) bar.StopTask();
            }).ConfigureAwait(false);
        return result;
    }

    public void Notice(string text) => console.MarkupLineInterpolated($"[yellow]{text}[/]");

    public void StageStarted(StageProgress stage)
    {
        if (stage.Restarts > 0)
        {
            console.MarkupLineInterpolated($"[yellow]{stage.Name}[/] restarted (pid {stage.Pid}), same address; restart {stage.Restarts}");
        }
    }

    public void Refresh(IReadOnlyList<StageProgress> stages, long total)
    {
        if (total <= 0) return;
        long refusedBefore = 0;
        foreach (var stage in stages) // in pipeline order: a stage can reach what the stages before it did not refuse
        {
            if (!_bars.TryGetValue(stage.Role, out var bar)) continue;
            var reachable = Math.Max(1, total - refusedBefore);
            if (stage.Role != StageRole.Storage) refusedBefore += stage.Skipped;
            var done = Math.Min(reachable, stage.Done + stage.Skipped);
            bar.MaxValue = reachable;
            bar.Value = done;
            bar.Description = Describe(stage.Name, done, reachable, stage.Ready ? null : "waiting", stage.Restarts);
        }
    }

    public void Note(StageProgress stage, string text) => console.MarkupLineInterpolated($"[grey]{stage.Name}:[/] {text}");

    public void Baseline(BaselineResult b) => console.MarkupLineInterpolated(
        $"One thread, no actors: [blue]{b.Files:N0}[/] files in {b.ElapsedMs / 1000:0.00} s ([blue]{b.FilesPerSecond:N0} files/s[/], {b.CpuMicrosPerFile:N1} µs of CPU per file)");

    public void Summary(RunReport report)
    {
        var r = report.Result;
        // One metric a row: readable in any terminal width.
        var table = new Table().Border(TableBorder.Rounded).Title($"Pipeline over {report.Transport}")
            .AddColumn("").AddColumn(new TableColumn("").RightAligned()).HideHeaders();
        table.AddRow("Files stored", $"{r.Files:N0}");
        table.AddRow("Bytes", $"{r.Bytes:N0}");
        table.AddRow("Elapsed", $"{r.ElapsedMs / 1000:0.00} s");
        table.AddRow("Throughput", $"{r.FilesPerSecond:N0} files/s");
        table.AddRow("Throughput, second half", $"{r.SecondHalfFilesPerSecond:N0} files/s");
        table.AddRow("Latency p50", $"{r.LatencyP50Ms:0.00} ms");
        table.AddRow("Latency p99", $"{r.LatencyP99Ms:0.00} ms");
        if (report.VsOneThread is { } ratio)
        {
            table.AddRow("One thread, no actors", $"{report.Baseline!.FilesPerSecond:N0} files/s");
            table.AddRow("Pipeline vs one thread", $"{ratio:0.00}×");
        }
        foreach (var stage in report.Stages)
        {
            table.AddRow($"CPU per file, {stage.Name}", $"{report.CpuMicrosPerFile(stage):N1} µs");
        }
        table.AddRow("Rejected", r.Rejected.Count == 0 ? "0" : $"[yellow]{r.Rejected.Count}[/]");
        table.AddRow("Re-sent", $"{r.Resent:N0}");
        console.Write(table);

        if (r.Rejected.Count > 0)
        {
            var rejected = new Table().Border(TableBorder.Simple).Title("Rejected files (reported, not stored)")
                .AddColumn("File").AddColumn("Reason");
            foreach (var rejection in r.Rejected) rejected.AddRow(Markup.Escape(rejection.Path), Markup.Escape(rejection.Reason));
            console.Write(rejected);
        }
        if (report.Peers.Any(s => s.Peers.Count > 0))
        {
            var transport = new Table().Border(TableBorder.Simple).Title("Transport, per peer (from the transport meter)")
                .AddColumn("Stage").AddColumn("Peer").AddColumn(new TableColumn("Messages out/in").RightAligned())
                .AddColumn(new TableColumn("Bytes out/in").RightAligned()).AddColumn(new TableColumn("Back-offs").RightAligned());
            foreach (var (role, peers) in report.Peers)
            {
                foreach (var p in peers)
                {
                    transport.AddRow(role.ToString().ToLowerInvariant(), Markup.Escape(p.Peer), $"{p.MessagesSent:N0} / {p.MessagesReceived:N0}",
                        $"{p.BytesSent:N0} / {p.BytesReceived:N0}", p.Backoffs == 0 ? "0" : $"[yellow]{p.Backoffs:N0}[/]");
                }
            }
            console.Write(transport);
        }
        var restarts = report.Stages.Where(s => s.Restarts > 0).Select(s => $"{s.Name} ×{s.Restarts}").ToList();
        if (restarts.Count > 0) console.MarkupLineInterpolated($"Restarted stages: {string.Join(", ", restarts)}");
        console.MarkupLineInterpolated($"Input [blue]{report.Input}[/], database [blue]{report.Database}[/], wall clock {report.WallClock.TotalSeconds:0.0} s");
    }

    private static string Describe(string name, long done, long total, string? state, int restarts = 0) =>
        $"{name,-9} {done,7:N0}/{total:N0}" + (restarts > 0 ? $" [yellow]restarted ×{restarts}[/]" : "") + (state is null ? "" : $" [grey]{state}[/]");
}
