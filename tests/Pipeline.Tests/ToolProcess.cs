using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace XStateNet.Actors.Samples.Pipeline.Tests;

/// <summary>
/// The <c>xstatenet</c> tool as a child process, run from its own build folder, its output collected. Disposing
/// kills it by PID if it still runs.
/// </summary>
internal sealed partial class ToolProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];

    private ToolProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public string Output
    {
        get
        {
            lock (_lines) return string.Join('\n', _lines);
        }
    }

    public static ToolProcess Start(params string[] arguments)
    {
        var dll = typeof(ToolProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "XStateNetTool").Value!;
        Assert.True(File.Exists(dll), $"the xstatenet tool is not built at {dll}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_EnableDiagnostics"] = "0"; // nothing left in /tmp if it has to be killed
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var tool = new ToolProcess(new Process { StartInfo = start });
        tool._process.OutputDataReceived += (_, e) => tool.OnLine(e.Data);
        tool._process.ErrorDataReceived += (_, e) => tool.OnLine(e.Data is null ? null : "stderr: " + e.Data);
        tool._process.Start();
        tool._process.BeginOutputReadLine();
        tool._process.BeginErrorReadLine();
        return tool;
    }

    /// <summary>The page's URL, with its token, as the tool printed it.</summary>
    public async Task<Uri> UrlAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout && !_process.HasExited)
        {
            var match = UrlLine().Match(Output);
            if (match.Success) return new Uri(match.Groups["url"].Value);
            await Task.Delay(50);
        }
        throw new TimeoutException($"xstatenet inspect printed no URL:\n{Output}");
    }

    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(limit.Token);
        return _process.ExitCode;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_lines) _lines.Add(line);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"xstatenet inspect: (?<url>http://127\.0\.0\.1:\d+/\?token=\S+)")]
    private static partial Regex UrlLine();
}
