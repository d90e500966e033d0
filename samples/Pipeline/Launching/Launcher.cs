using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using XStateNet.Actors.Samples.Pipeline.Baseline;
using XStateNet.Actors.Samples.Pipeline.Reporting;
using XStateNet.Actors.Samples.Pipeline.Stages;
using XStateNet.Actors.Samples.Pipeline.Transports;

namespace XStateNet.Actors.Samples.Pipeline.Launching;

/// <summary>
/// The one command: prepares input, starts the three stages as child processes on the chosen transport, keeps
/// them alive (a stage that dies is started again under the same address), shows their progress, and prints
/// the summary when the ingester reports every file settled.
/// </summary>
internal sealed class Launcher(PipelineOptions options, IRunView view)
{
    private const int MaxRestartsPerStage = 20;
    private const int Interrupted = 130;
    private static readonly TimeSpan RestartPause = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    /// <summary>The stages' transport figures per peer, for the summary.</summary>
    private readonly TransportSummary _transport = new();

    public async Task<int> RunAsync(CancellationToken cancel)
    {
        // Ctrl+C or SIGTERM: stop the stages in order (they would also stop on their own once this process is gone).
        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        return await RunAsync(interrupted).ConfigureAwait(false);

        void Interrupt(PosixSignalContext context)
        {
            context.Cancel = true;
            interrupted.Cancel();
        }
    }

    private async Task<int> RunAsync(CancellationTokenSource interrupted)
    {
        var cancel = interrupted.Token;
        var wallClock = Stopwatch.StartNew();
        var transport = TransportCatalog.Choose(options.Transport, view.Notice);
        var work = Path.GetFullPath(options.WorkFolder);
        Directory.CreateDirectory(work);

        string input;
        if (options.Input is { } given)
        {
            input = Path.GetFullPath(given);
            if (!Directory.Exists(input)) throw new PipelineUsageException($"--input {given}: no such folder.");
        }
        else
        {
            input = Path.Combine(work, "input");
            DemoInput.Generate(input, options.Files, options.Size, options.MaxFileSize);
            view.Notice($"Generated {options.Files:N0} files of {options.Size:N0} bytes and 3 bad ones in {input}");
        }
        var database = options.DatabasePath;
        if (options.Db is null) DeleteDatabase(database); // the demo's own database starts empty each run
        var baseline = options.Baseline ? RunBaseline(input, work) : null;

        var routes = Path.Combine(work, $"routes-{Environment.ProcessId}.conf");
        await File.WriteAllTextAsync(routes, StageConfig.Routes(transport, FreePorts()), cancel).ConfigureAwait(false);
        var logs = Directory.CreateDirectory(Path.Combine(work, "logs")).FullName;

        var events = Channel.CreateUnbounded<LauncherEvent>(new UnboundedChannelOptions { SingleReader = true });
        var stages = Enum.GetValues<StageRole>().Select(role => new StageProgress(role)).ToArray();
        var processes = stages.ToDictionary(s => s.Role, s => new StageProcess(s.Role,
            ChildArguments(s.Role, transport, routes, input, database), events.Writer, Path.Combine(logs, $"{s.Name}.log")));
        try
        {
            view.Notice($"Transport {transport.Name} ({Path.GetFileName(transport.FilePath)}); logs in {logs}");
            var result = await view.RunAsync(() => Supervise(processes, stages, events.Reader, cancel)).ConfigureAwait(false);
            if (cancel.IsCancellationRequested) view.Notice("Interrupted: stopping the stages");
            await Task.WhenAll(processes.Values.Select(p => p.StopAsync(StopGrace))).ConfigureAwait(false);
            if (result is null) return cancel.IsCancellationRequested ? Interrupted : 1;
            view.Summary(new RunReport(transport.Name, input, database, result, wallClock.Elapsed, stages, baseline) { Peers = _transport.PerStage() });
            return 0;
        }
        finally
        {
            foreach (var process in processes.Values) process.Dispose(); // kills, by PID, whatever still runs
            File.Delete(routes);
        }
    }

    /// <summary>The launcher's loop: one event at a time until the ingester's summary, a give-up, or Ctrl+C.</summary>
    private async Task<RunSummary?> Supervise(Dictionary<StageRole, StageProcess> processes, StageProgress[] stages,
        ChannelReader<LauncherEvent> events, CancellationToken cancel)
    {
        // Storage and processor first, so the ingester finds them; it would wait for them anyway.
        foreach (var role in new[] { StageRole.Storage, StageRole.Processor, StageRole.Ingester }) processes[role].Start();
        long total = 0;
        RunSummary? summary = null;
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        Task<bool>? nextTick = null, nextEvent = null;
        while (!cancel.IsCancellationRequested)
        {
            while (events.TryRead(out var next))
            {
                var stage = stages[(int)next.Role];
                var process = processes[next.Role];
                if (!process.IsCurrent(next.Generation)) continue; // an old incarnation's last words
                switch (next)
                {
                    case LauncherEvent.Started started:
                        stage.Pid = started.Pid;
                        view.StageStarted(stage);
                        break;
                    case LauncherEvent.Reported { Report: var report }:
                        switch (report.Kind)
                        {
                            case StageReport.Ready:
                                stage.MarkReady(process.CpuTime);
                                break;
                            case StageReport.Started:
                                foreach (var each in stages) each.MarkRunStart(processes[each.Role].CpuTime);
                                if (report.Total is { } all) total = all;
                                break;
                            case StageReport.Progress:
                                stage.Report(report.Done ?? 0, report.Skipped ?? 0);
                                if (report.Total is { } t) total = t;
                                break;
                            case StageReport.Note when report.Text is { } text && summary is null: // after it: shutdown chatter
                                view.Note(stage, text);
                                break;
                            case StageReport.Transport when report.Peers is { } peers:
                                _transport.Update(next.Role, next.Generation, peers);
                                break;
                            case StageReport.Summary when report.Result is { } result:
                                summary = result;
                                SampleCpu(processes, stages); // every file is stored: what they used until now is the run's cost
                                break;
                        }
                        break;
                    case LauncherEvent.Exited when next.Role == StageRole.Ingester && summary is not null:
                        await TakeFinalProgress(processes, stages, events).ConfigureAwait(false);
                        view.Refresh(stages, total);
                        return summary;
                    case LauncherEvent.Exited exited:
                        if (exited.ExitCode == Program.UsageError)
                        {
                            view.Note(stage, "refused its arguments (see its log); starting it again would not help");
                            return null;
                        }
                        if (stage.Restarts >= MaxRestartsPerStage)
                        {
                            view.Note(stage, $"exited with code {exited.ExitCode} after {stage.Restarts} restarts; giving up (see its log)");
                            return null;
                        }
                        view.Note(stage, $"exited with code {exited.ExitCode}; starting it again under the same address");
                        await Task.Delay(RestartPause, CancellationToken.None).ConfigureAwait(false);
                        stage.Restarted();
                        process.Start();
                        break;
                }
            }
            if (summary is null) SampleCpu(processes, stages);
            view.Refresh(stages, total);
            try
            {
                // Woken by the next report as well as by the tick: the CPU times taken at "ready" and "started" are
                // read when the stage says so, not up to a tick later.
                nextTick ??= tick.WaitForNextTickAsync(cancel).AsTask();
                nextEvent ??= events.WaitToReadAsync(cancel).AsTask();
                if (await Task.WhenAny(nextTick, nextEvent).ConfigureAwait(false) == nextTick)
                {
                    await nextTick.ConfigureAwait(false);
                    nextTick = null;
                }
                else
                {
                    var more = await nextEvent.ConfigureAwait(false);
                    nextEvent = null;
                    if (!more) break; // nobody writes reports any more
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return null;
    }

    private static void SampleCpu(Dictionary<StageRole, StageProcess> processes, StageProgress[] stages)
    {
        foreach (var stage in stages) stage.SampleCpu(processes[stage.Role].CpuTime);
    }

    /// <summary>
    /// The other stages report progress a few times a second, so their last counts may still be on the way when the
    /// ingester is done: stop them cleanly (each writes its final counts as it stops) and take those in, so the bars
    /// end where the summary does.
    /// </summary>
    private async Task TakeFinalProgress(Dictionary<StageRole, StageProcess> processes, StageProgress[] stages,
        ChannelReader<LauncherEvent> events)
    {
        var running = processes.Values.Where(p => p.Role != StageRole.Ingester && p.Pid is not null).Select(p => p.Role).ToHashSet();
        await Task.WhenAll(processes.Values.Select(p => p.StopAsync(StopGrace))).ConfigureAwait(false);
        using var limit = new CancellationTokenSource(StopGrace);
        try
        {
            while (running.Count > 0 && await events.WaitToReadAsync(limit.Token).ConfigureAwait(false))
            {
                while (events.TryRead(out var last))
                {
                    if (!processes[last.Role].IsCurrent(last.Generation)) continue;
                    if (last is LauncherEvent.Reported { Report: { Kind: StageReport.Progress } progress })
                        stages[(int)last.Role].Report(progress.Done ?? 0, progress.Skipped ?? 0);
                    else if (last is LauncherEvent.Reported { Report: { Kind: StageReport.Transport, Peers: { } peers } })
                        _transport.Update(last.Role, last.Generation, peers);
                    else if (last is LauncherEvent.Exited) running.Remove(last.Role);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // A stage that did not say goodbye in time was killed; its bar shows what it last reported.
        }
    }

    /// <summary>The one-thread run on the same input, into a database of its own that is gone afterwards.</summary>
    private BaselineResult RunBaseline(string input, string work)
    {
        view.Notice("One-thread baseline: the same work on the same input, no actors ...");
        var database = Path.Combine(work, $"baseline-{Environment.ProcessId}.db");
        DeleteDatabase(database);
        try
        {
            var result = OneThreadBaseline.Run(input, database, options.MaxFileSize);
            view.Baseline(result);
            return result;
        }
        finally
        {
            DeleteDatabase(database);
        }
    }

    private List<string> ChildArguments(StageRole role, TransportProfile transport, string routes, string input, string database)
    {
        var arguments = new List<string>
        {
            "--role", role.ToString().ToLowerInvariant(),
            "--transport", transport.Name,
            "--config", routes,
            "--parent-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
        };
        if (options.Directory is { } directory) arguments.AddRange(["--directory", directory]);
        switch (role)
        {
            case StageRole.Ingester:
                arguments.AddRange(["--input", input, "--in-flight", Invariant(options.InFlight), "--batch", Invariant(options.Batch), "--max-file-size", Invariant(options.MaxFileSize)]);
                break;
            case StageRole.Processor:
                arguments.AddRange(["--process-delay", Invariant(options.ProcessDelayMs)]);
                break;
            case StageRole.Storage:
                arguments.AddRange(["--db", database]);
                break;
        }
        return arguments;
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Three ports nobody listens on now. Every transport takes a port as part of its address (the IPC ones name
    /// their pipe or segment after it), so TCP's free ports make unique addresses for all of them.
    /// </summary>
    private static Dictionary<StageRole, int> FreePorts()
    {
        var listeners = Enum.GetValues<StageRole>().Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            foreach (var listener in listeners) listener.Start();
            return Enum.GetValues<StageRole>().Zip(listeners).ToDictionary(p => p.First, p => ((IPEndPoint)p.Second.LocalEndpoint).Port);
        }
        finally
        {
            foreach (var listener in listeners) listener.Stop();
        }
    }

    private static void DeleteDatabase(string database)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(database + suffix);
        }
    }
}
