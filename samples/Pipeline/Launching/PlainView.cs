using System.Globalization;
using XStateNet.Actors.Samples.Pipeline.Baseline;

namespace XStateNet.Actors.Samples.Pipeline.Launching;

/// <summary>
/// Plain lines, one fact each, stable enough for scripts and tests to read:
/// <c>started processor pid=1234</c>, <c>progress storage 40/120</c>, <c>summary files=120 ...</c>.
/// </summary>
internal sealed class PlainView(TextWriter output) : IRunView
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly Dictionary<StageRole, long> _written = new();
    private DateTime _lastWrite = DateTime.MinValue;

    public Task<T> RunAsync<T>(Func<Task<T>> loop) => loop();

    public void Notice(string text) => output.WriteLine($"notice {text}");

    public void StageStarted(StageProgress stage) =>
        output.WriteLine(stage.Restarts == 0
            ? $"started {stage.Name} pid={stage.Pid}"
            : $"restarted {stage.Name} pid={stage.Pid} restarts={stage.Restarts}");

    public void Refresh(IReadOnlyList<StageProgress> stages, long total)
    {
        if (DateTime.UtcNow - _lastWrite < Interval) return;
        _lastWrite = DateTime.UtcNow;
        foreach (var stage in stages)
        {
            if (_written.TryGetValue(stage.Role, out var last) && last == stage.Done + stage.Skipped) continue;
            _written[stage.Role] = stage.Done + stage.Skipped;
            output.WriteLine($"progress {stage.Name} {stage.Done}/{total} skipped={stage.Skipped}");
        }
    }

    public void Note(StageProgress stage, string text) => output.WriteLine($"note {stage.Name}: {text}");

    public void Baseline(BaselineResult b) => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"baseline files={b.Files} rejected={b.Rejected} elapsed_ms={b.ElapsedMs:0} files_per_s={b.FilesPerSecond:0} cpu_us_per_file={b.CpuMicrosPerFile:0.0}"));

    public void Summary(RunReport report)
    {
        var r = report.Result;
        var restarts = string.Join(" ", report.Stages.Select(s => $"restarts_{s.Name}={s.Restarts}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"summary transport={report.Transport} files={r.Files} bytes={r.Bytes} elapsed_ms={r.ElapsedMs:0} files_per_s={r.FilesPerSecond:0} second_half_files_per_s={r.SecondHalfFilesPerSecond:0} p50_ms={r.LatencyP50Ms:0.00} p99_ms={r.LatencyP99Ms:0.00} resent={r.Resent} rejected={r.Rejected.Count} {restarts}{VsOneThread(report)}"));
        foreach (var stage in report.Stages)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cpu {stage.Name} us_per_file={report.CpuMicrosPerFile(stage):0.0} run_ms={stage.RunCpu.TotalMilliseconds:0} startup_ms={stage.StartupCpu?.TotalMilliseconds ?? 0:0}"));
        }
        foreach (var (role, peers) in report.Peers)
        {
            foreach (var p in peers)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"transport {role.ToString().ToLowerInvariant()} peer={p.Peer} messages_sent={p.MessagesSent} messages_received={p.MessagesReceived} bytes_sent={p.BytesSent} bytes_received={p.BytesReceived} backoffs={p.Backoffs}"));
            }
        }
        foreach (var rejection in r.Rejected) output.WriteLine($"rejected {rejection.Path}: {rejection.Reason}");
        output.WriteLine($"database {report.Database}");
    }

    private static string VsOneThread(RunReport report) => report.VsOneThread is { } ratio
        ? string.Create(CultureInfo.InvariantCulture, $" one_thread_files_per_s={report.Baseline!.FilesPerSecond:0} vs_one_thread={ratio:0.00}")
        : "";
}
