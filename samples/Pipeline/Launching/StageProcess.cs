using System.Threading.Channels;
using XStateNet.Actors.Processes;
using XStateNet.Actors.Samples.Pipeline.Reporting;

namespace XStateNet.Actors.Samples.Pipeline.Launching;

/// <summary>
/// One stage as a child process of this executable (<c>--role</c>, started by the repository's one child-process
/// host), restartable under the same arguments and so the same address. Its stdout (JSON reports) and exit become
/// events on the launcher's channel; its stderr (Akka's log, crashes) goes to a log file. Its stdin stays open and
/// unused: when the launcher dies, the child reads EOF and stops.
/// </summary>
internal sealed class StageProcess : IDisposable
{
    private readonly IReadOnlyList<string> _arguments;
    private readonly ChannelWriter<LauncherEvent> _events;
    private readonly string _logPath;
    private ChildProcess? _process;
    private int _generation;

    public StageProcess(StageRole role, IReadOnlyList<string> arguments, ChannelWriter<LauncherEvent> events, string logPath)
    {
        Role = role;
        _arguments = arguments;
        _events = events;
        _logPath = logPath;
    }

    public StageRole Role { get; }

    public int? Pid => _process is { HasExited: false } p ? p.Pid : null;

    /// <summary>CPU time the running child has used so far (user and system), or null when there is none.</summary>
    public TimeSpan? CpuTime => _process?.CpuTime;

    /// <summary>Starts (or starts again) the child; events carry the generation so a late exit of an old one is told apart.</summary>
    public void Start()
    {
        var generation = ++_generation;
        var log = new StreamWriter(_logPath, append: true) { AutoFlush = true };
        log.WriteLine($"--- {DateTime.Now:O} starting {Role} (generation {generation})");
        // Diagnostics as the launcher's environment says (dotnet-trace may attach to a stage); the host removes what a
        // killed stage's runtime leaves.
        var process = ChildProcess.Start(ChildCommand.Self(typeof(StageProcess).Assembly, _arguments, diagnostics: true),
            line =>
            {
                if (StageReport.TryParse(line) is { } report) _events.TryWrite(new LauncherEvent.Reported(Role, generation, report));
                else lock (log) log.WriteLine(line);
            },
            line =>
            {
                lock (log) log.WriteLine(line);
            });
        process.Exited.ContinueWith(_ =>
        {
            lock (log) log.Dispose();
            _events.TryWrite(new LauncherEvent.Exited(Role, generation, process.ExitCode));
        }, TaskScheduler.Default);
        _process?.Dispose();
        _process = process;
        _events.TryWrite(new LauncherEvent.Started(Role, generation, process.Pid));
    }

    public bool IsCurrent(int generation) => generation == _generation;

    /// <summary>Asks the child to stop by closing its stdin, then kills it by PID if it has not stopped in time.</summary>
    public Task StopAsync(TimeSpan grace) => _process?.StopAsync(grace) ?? Task.CompletedTask;

    /// <summary>Kills the child (by its PID, nothing else).</summary>
    public void Kill() => _process?.Kill();

    public void Dispose() => _process?.Dispose();
}

/// <summary>What happens to the stages, in the order the launcher handles it.</summary>
internal abstract record LauncherEvent(StageRole Role, int Generation)
{
    public sealed record Started(StageRole Role, int Generation, int Pid) : LauncherEvent(Role, Generation);

    public sealed record Reported(StageRole Role, int Generation, StageReport Report) : LauncherEvent(Role, Generation);

    public sealed record Exited(StageRole Role, int Generation, int ExitCode) : LauncherEvent(Role, Generation);
}
