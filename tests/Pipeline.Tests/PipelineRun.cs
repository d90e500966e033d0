using System.Diagnostics;
using System.Text.RegularExpressions;
using XStateNet.Actors.Processes;

namespace XStateNet.Actors.Samples.Pipeline.Tests;

/// <summary>
/// The sample's launcher as a real child process (plain-line mode), with its output collected line by line.
/// Disposing kills, by PID, the launcher and every stage it reported starting, whatever state the test is in.
/// </summary>
internal sealed partial class PipelineRun : IDisposable
{
    private readonly List<string> _lines = new();
    private readonly HashSet<int> _stagePids = new();
    private ChildProcess _process = null!;

    private PipelineRun()
    {
    }

    /// <summary>Starts the launcher with <c>--work</c> <paramref name="workFolder"/>, whose stage logs failures then show.</summary>
    public static PipelineRun Start(string workFolder, params string[] arguments)
    {
        // Without the runtime's diagnostics, which its stages inherit: a stage killed with SIGKILL leaves nothing in /tmp.
        var start = ChildCommand.Assembly(Path.Combine(AppContext.BaseDirectory, "XStateNet.Actors.Samples.Pipeline.dll"),
            ["--no-ui", .. arguments, "--work", workFolder], diagnostics: false);
        var run = new PipelineRun { WorkFolder = workFolder };
        run._process = ChildProcess.Start(start, run.OnLine, line => run.OnLine("stderr: " + line));
        return run;
    }

    public string Output
    {
        get
        {
            string output;
            lock (_lines) output = string.Join('\n', _lines);
            return output + StageLogTails();
        }
    }

    /// <summary>Where the launcher writes its stages' logs (--work), so a failure shows what the stages said.</summary>
    public required string WorkFolder { get; init; }

    public int ExitCode => _process.ExitCode;

    /// <summary>Waits for a line matching <paramref name="pattern"/> and returns its match.</summary>
    public async Task<Match> WaitForLineAsync(Regex pattern, TimeSpan timeout, Func<Match, bool>? accept = null)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            lock (_lines)
            {
                foreach (var line in _lines)
                {
                    var match = pattern.Match(line);
                    if (match.Success && (accept is null || accept(match))) return match;
                }
            }
            if (_process.Exited.IsCompleted) break;
            await Task.Delay(50);
        }
        throw new TimeoutException($"no line matching {pattern} within {timeout.TotalSeconds} s; output so far:\n{Output}");
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        if (!await _process.WaitForExitAsync(timeout))
            throw new TimeoutException($"the pipeline did not finish within {timeout.TotalSeconds} s; output so far:\n{Output}");
    }

    /// <summary>The PID the launcher last reported for a stage (started or restarted).</summary>
    public int StagePid(string stage)
    {
        lock (_lines)
        {
            for (var i = _lines.Count - 1; i >= 0; i--)
            {
                var match = StartedLine().Match(_lines[i]);
                if (match.Success && match.Groups["stage"].Value == stage) return int.Parse(match.Groups["pid"].Value);
            }
        }
        throw new InvalidOperationException($"the launcher reported no pid for {stage}:\n{Output}");
    }

    private string StageLogTails()
    {
        var logs = Path.Combine(WorkFolder, "logs");
        if (!Directory.Exists(logs)) return "";
        return string.Concat(Directory.EnumerateFiles(logs, "*.log").Select(log =>
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(log);
            }
            catch (IOException)
            {
                return "";
            }
            return $"\n--- {Path.GetFileName(log)} (last 20 lines)\n" + string.Join('\n', lines.TakeLast(20));
        }));
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_lines)
        {
            _lines.Add(line);
            if (StartedLine().Match(line) is { Success: true } match) _stagePids.Add(int.Parse(match.Groups["pid"].Value));
        }
    }

    public void Dispose()
    {
        _process.Kill();
        int[] pids;
        lock (_lines) pids = _stagePids.ToArray();
        foreach (var pid in pids)
        {
            try
            {
                // The launcher's children, not ours: by the pid it reported, and only our own stages (the sample's
                // apphost, or dotnet running it), in case the pid is someone else's by now.
                using var stage = Process.GetProcessById(pid);
                if (stage.ProcessName.StartsWith("XStateNet.Actor", StringComparison.Ordinal) || stage.ProcessName == "dotnet") stage.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // already gone
            }
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"^(?:started|restarted) (?<stage>\w+) pid=(?<pid>\d+)")]
    private static partial Regex StartedLine();
}
