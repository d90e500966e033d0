using System.Diagnostics;
using System.Text.RegularExpressions;

namespace XStateNet.Actors.Samples.Pipeline.Tests;

/// <summary>
/// The sample's launcher as a real child process (plain-line mode), with its output collected line by line.
/// Disposing kills, by PID, the launcher and every stage it reported starting, whatever state the test is in.
/// </summary>
internal sealed partial class PipelineRun : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = new();
    private readonly HashSet<int> _stagePids = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PipelineRun(Process process) => _process = process;

    /// <summary>Starts the launcher with <c>--work</c> <paramref name="workFolder"/>, whose stage logs failures then show.</summary>
    public static PipelineRun Start(string workFolder, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "XStateNet.Actors.Samples.Pipeline.dll"));
        start.ArgumentList.Add("--no-ui");
        // A child killed with SIGKILL cannot remove the runtime's diagnostic pipes and socket in /tmp
        // (clr-debug-pipe-<pid>-*, dotnet-diagnostic-<pid>-*): children of tests run without them, so nothing is left.
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--work");
        start.ArgumentList.Add(workFolder);
        var run = new PipelineRun(new Process { StartInfo = start, EnableRaisingEvents = true }) { WorkFolder = workFolder };
        run._process.OutputDataReceived += (_, e) => run.OnLine(e.Data);
        run._process.ErrorDataReceived += (_, e) => run.OnLine(e.Data is null ? null : "stderr: " + e.Data);
        run._process.Exited += (_, _) =>
        {
            run._process.WaitForExit();
            run._exited.TrySetResult();
        };
        run._process.Start();
        run._process.BeginOutputReadLine();
        run._process.BeginErrorReadLine();
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
            if (_exited.Task.IsCompleted) break;
            await Task.Delay(50);
        }
        throw new TimeoutException($"no line matching {pattern} within {timeout.TotalSeconds} s; output so far:\n{Output}");
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        if (await Task.WhenAny(_exited.Task, Task.Delay(timeout)) != _exited.Task)
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
        KillQuietly(_process);
        int[] pids;
        lock (_lines) pids = _stagePids.ToArray();
        foreach (var pid in pids)
        {
            try
            {
                using var stage = Process.GetProcessById(pid);
                // Only our own stages: the sample's apphost, or dotnet running it.
                if (stage.ProcessName.StartsWith("XStateNet.Actor", StringComparison.Ordinal) || stage.ProcessName == "dotnet") KillQuietly(stage);
            }
            catch (ArgumentException)
            {
                // already gone
            }
        }
        _process.Dispose();
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    [GeneratedRegex(@"^(?:started|restarted) (?<stage>\w+) pid=(?<pid>\d+)")]
    private static partial Regex StartedLine();
}
