using System.Runtime.InteropServices;
using Akka.Actor;
using XStateNet.Actors.Hosting;
using XStateNet.Actors.Samples.Pipeline.Reporting;
using XStateNet.Actors.Samples.Pipeline.Transports;
using XStateNet.Actors.Transport;

namespace XStateNet.Actors.Samples.Pipeline.Stages;

/// <summary>
/// Runs one stage in this process (<c>--role</c>): its actor system on the chosen transport, with the stage's machine
/// (<see cref="PipelineStage"/>, which multi-process specs run on the TestKit's nodes too).
/// The ingester ends when every file is settled; processor and storage run until stopped (SIGTERM, Ctrl+C,
/// or, under the launcher, when the launcher goes away), and restart their actor system in the process when their
/// peers declare them dead (a long pause: see RecoveringNode).
/// </summary>
internal static class StageHost
{
    public static async Task<int> RunAsync(StageRole role, PipelineOptions options, CancellationToken cancel)
    {
        var launched = options.ParentPid is not null;
        using var reporter = new StageReporter(role, json: launched);
        var transport = TransportCatalog.Choose(options.Transport, reporter.Note);
        var config = StageConfig.Build(role, transport, options.Config, options.Directory);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        using var signals = StopSignals(stop, ignoreInterrupt: launched);
        if (options.ParentPid is { } parent) WatchParent(parent, stop);

        using var stage = PipelineStage.Open(role, options, reporter);
        return role == StageRole.Ingester
            ? await RunIngesterAsync(stage, config, reporter, stop.Token).ConfigureAwait(false)
            : await RunRecoveringAsync(stage, config, reporter, stop.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// Processor and storage hold nothing a restart would lose (storage's database is outside the actor system): when
    /// their peers declare them dead (a long pause), RecoveringNode starts a new actor system at the same address and
    /// spawns the stage's machine again, and the ingester resends what was in flight.
    /// </summary>
    private static async Task<int> RunRecoveringAsync(PipelineStage stage, Akka.Configuration.Config config, StageReporter reporter, CancellationToken stop)
    {
        var warmedUp = false;
        var node = RecoveringNode.Start(StageConfig.SystemName, config, system =>
        {
            // Warmed up and reported ready before its machine exists: a machine answers the ingester's PING, and the
            // run starts once both peers answered, so a stage still warming up would run its warm-up inside the run
            // (and the launcher, which takes each stage's CPU at ready and at the run's start, would miss its work).
            if (!warmedUp)
            {
                WarmUpAndReportReady(system, reporter);
                warmedUp = true;
            }
            system.SpawnMachine(stage.NewMachine());
        });
        node.Restarted += (_, reason) => reporter.Note($"restarted the actor system (same address, new uid): {reason}");
        try
        {
            await Task.WhenAny(node.Stopped, Task.Delay(Timeout.Infinite, stop)).ConfigureAwait(false);
            return node.Stopped.IsFaulted ? 1 : 0; // meant to run until stopped
        }
        finally
        {
            await CoordinatedShutdown.Get(node.System).Run(CoordinatedShutdown.ClrExitReason.Instance).ConfigureAwait(false);
            await node.StopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The ingester owns the run (files in flight, its timers), which a new actor system would not have: declared dead,
    /// it shuts down with xstatenet.recovery.exit-code (75) instead, and the run is reported unfinished.
    /// </summary>
    private static async Task<int> RunIngesterAsync(PipelineStage stage, Akka.Configuration.Config config, StageReporter reporter, CancellationToken stop)
    {
        var system = ActorSystem.Create(StageConfig.SystemName, config);
        try
        {
            // Warm-up and ready first: the machine's entry pings its peers, and the run starts as soon as they answer.
            WarmUpAndReportReady(system, reporter);
            system.SpawnMachine(stage.NewMachine());
            var finished = stage.Finished!;
            await Task.WhenAny(finished, system.WhenTerminated, Task.Delay(Timeout.Infinite, stop)).ConfigureAwait(false);
            if (CoordinatedShutdown.Get(system).ShutdownReason is NodeRecovery.DeclaredDeadReason declaredDead) return declaredDead.ExitCode;
            // An ingester stopped before the end is not a finished run.
            return finished.IsCompletedSuccessfully ? 0 : 3;
        }
        finally
        {
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance).ConfigureAwait(false);
        }
    }

    private static void WarmUpAndReportReady(ActorSystem system, StageReporter reporter)
    {
        MessagePathWarmUp.Run(system);
        HeapWarmUp.Run();
        reporter.Ready(((ExtendedActorSystem)system).Provider.DefaultAddress.ToString());
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
    private static void WatchParent(int parentPid, CancellationTokenSource stop) =>
        ParentWatch.UntilGone(parentPid).ContinueWith(_ => stop.Cancel(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private sealed class Both(IDisposable first, IDisposable second) : IDisposable
    {
        public void Dispose()
        {
            first.Dispose();
            second.Dispose();
        }
    }
}
