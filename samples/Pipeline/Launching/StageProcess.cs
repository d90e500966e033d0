using System.Diagnostics;
using System.Threading.Channels;
using XStateNet.Actors.Samples.Pipeline.Reporting;

namespace XStateNet.Actors.Samples.Pipeline.Launching;

/// <summary>
/// One stage as a child process of this executable (<c>--role</c>), restartable under the same arguments and so
/// the same address. Its stdout (JSON reports) and exit become events on the launcher's channel; its stderr
/// (Akka's log, crashes) goes to a log file. Its stdin stays open and unused: when the launcher dies, the child
/// reads EOF and stops.
/// </summary>
internal sealed class StageProcess : IDisposable
{
    private readonly IReadOnlyList<string> _arguments;
    private readonly ChannelWriter<LauncherEvent> _events;
    private readonly string _logPath;
    private Process? _process;
    private int _generation;

    public StageProcess(StageRole role, IReadOnlyList<string> arguments, ChannelWriter<LauncherEvent> events, string logPath)
    {
        Role = role;
        _arguments = arguments;
        _events = events;
        _logPath = logPath;
    }

    public StageRole Role { get; }

    public int? Pid => _process is { } p && !HasExited(p) ? p.Id : null;

    /// <summary>CPU time the running child has used so far (user and system), or null when there is none.</summary>
    public TimeSpan? CpuTime
    {
        get
        {
            if (_process is not { } process) return null;
            try
            {
                return process.HasExited ? null : process.TotalProcessorTime;
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
            {
                return null; // it exited between the two calls
            }
        }
    }

    /// <summary>Starts (or starts again) the child; events carry the generation so a late exit of an old one is told apart.</summary>
    public void Start()
    {
        var generation = ++_generation;
        var (fileName, prefix) = SelfCommand();
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in prefix.Concat(_arguments)) start.ArgumentList.Add(argument);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var log = new StreamWriter(_logPath, append: true) { AutoFlush = true };
        log.WriteLine($"--- {DateTime.Now:O} starting {Role} (generation {generation})");
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (StageReport.TryParse(e.Data) is { } report) _events.TryWrite(new LauncherEvent.Reported(Role, generation, report));
            else lock (log) log.WriteLine(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (log) log.WriteLine(e.Data);
        };
        process.Exited += (_, _) =>
        {
            process.WaitForExit(); // drains the output readers
            lock (log) log.Dispose();
            _events.TryWrite(new LauncherEvent.Exited(Role, generation, process.ExitCode));
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        _events.TryWrite(new LauncherEvent.Started(Role, generation, process.Id));
    }

    public bool IsCurrent(int generation) => generation == _generation;

    /// <summary>Asks the child to stop by closing its stdin, then kills it by PID if it has not stopped in time.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process is not { } process || HasExited(process)) return;
        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
        }
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    /// <summary>Kills the child (by its PID, nothing else).</summary>
    public void Kill()
    {
        if (_process is not { } process || HasExited(process)) return;
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }

    private static bool HasExited(Process process)
    {
        try
        {
            return process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    /// <summary>This executable: the apphost, or <c>dotnet</c> plus this assembly when started as <c>dotnet X.dll</c>.</summary>
    private static (string FileName, string[] Prefix) SelfCommand()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var assembly = typeof(StageProcess).Assembly.Location;
        return Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? (host, [assembly])
            : (host, []);
    }
}

/// <summary>What happens to the stages, in the order the launcher handles it.</summary>
internal abstract record LauncherEvent(StageRole Role, int Generation)
{
    public sealed record Started(StageRole Role, int Generation, int Pid) : LauncherEvent(Role, Generation);

    public sealed record Reported(StageRole Role, int Generation, StageReport Report) : LauncherEvent(Role, Generation);

    public sealed record Exited(StageRole Role, int Generation, int ExitCode) : LauncherEvent(Role, Generation);
}
