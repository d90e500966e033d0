using System.Runtime.InteropServices;
using Akka.Actor;
using XStateNet.Actors.Samples.Pipeline.Reporting;
using XStateNet.Actors.Samples.Pipeline.Transports;
using XStateNet.Actors.Transport;

namespace XStateNet.Actors.Samples.Pipeline.Stages;

/// <summary>
/// Runs one stage in this process (<c>--role</c>): its actor system on the chosen transport and its machine.
/// The ingester ends when every file is settled; processor and storage run until stopped (SIGTERM, Ctrl+C,
/// or, under the launcher, when the launcher goes away).
/// </summary>
internal static class StageHost
{
    public static async Task<int> RunAsync(StageRole role, PipelineOptions options, CancellationToken cancel)
    {
        var launched = options.ParentPid is not null;
        using var reporter = new StageReporter(role, json: launched);
        var transport = TransportCatalog.Choose(options.Transport, reporter.Note);
        var config = StageConfig.Build(role, transport, options.Config);
        if (role == StageRole.Ingester && !Directory.Exists(options.Input))
            throw new PipelineUsageException($"--input {options.Input}: no such folder.");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        using var signals = StopSignals(stop, ignoreInterrupt: launched);
        if (options.ParentPid is { } parent) WatchParent(parent, stop);

        using var store = role == StageRole.Storage ? new FileStore(options.DatabasePath) : null;
        var system = ActorSystem.Create(StageConfig.SystemName, config);
        try
        {
            Task finished;
            switch (role)
            {
                case StageRole.Ingester:
                    var ingester = new IngesterStage(options.Input!, options.InFlight, options.MaxFileSize, reporter);
                    system.SpawnMachine(ingester.Definition);
                    finished = ingester.Finished;
                    break;
                case StageRole.Processor:
                    system.SpawnMachine(new ProcessorStage(reporter, TimeSpan.FromMilliseconds(options.ProcessDelayMs)).Definition);
                    finished = Task.Delay(Timeout.Infinite, stop.Token);
                    break;
                default:
                    system.SpawnMachine(new StorageStage(store!, reporter).Definition);
                    finished = Task.Delay(Timeout.Infinite, stop.Token);
                    break;
            }
            reporter.Ready(((ExtendedActorSystem)system).Provider.DefaultAddress.ToString());
            await Task.WhenAny(finished, Task.Delay(Timeout.Infinite, stop.Token)).ConfigureAwait(false);
            // An ingester stopped before the end is not a finished run; the others are meant to run until stopped.
            return role != StageRole.Ingester || finished.IsCompletedSuccessfully ? 0 : 3;
        }
        finally
        {
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// SIGTERM (systemd, the launcher's kill) and Ctrl+C stop the stage cleanly. Under the launcher, Ctrl+C in the
    /// terminal reaches the whole process group: the children leave it to the launcher, which stops them in order.
    /// </summary>
    private static IDisposable StopSignals(CancellationTokenSource stop, bool ignoreInterrupt)
    {
        var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            if (!ignoreInterrupt) stop.Cancel();
        });
        return new Both(term, interrupt);
    }

    /// <summary>A child never outlives its launcher: its stdin closes (EOF) when the launcher exits, however it exits.</summary>
    private static void WatchParent(int parentPid, CancellationTokenSource stop)
    {
        _ = Task.Run(async () =>
        {
            using var stdin = Console.OpenStandardInput();
            var buffer = new byte[256];
            try
            {
                while (await stdin.ReadAsync(buffer).ConfigureAwait(false) > 0)
                {
                }
            }
            catch (IOException)
            {
            }
            stop.Cancel();
        });
        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
            while (await timer.WaitForNextTickAsync().ConfigureAwait(false))
            {
                if (ProcessLiveness.IsRunning(parentPid)) continue;
                stop.Cancel();
                return;
            }
        });
    }

    private sealed class Both(IDisposable first, IDisposable second) : IDisposable
    {
        public void Dispose()
        {
            first.Dispose();
            second.Dispose();
        }
    }
}
