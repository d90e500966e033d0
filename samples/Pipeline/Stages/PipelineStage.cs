using XStateNet.Actors.Samples.Pipeline.Reporting;

namespace XStateNet.Actors.Samples.Pipeline.Stages;

/// <summary>
/// One stage's own part of a node: its machine with its actions, and what it holds for the life of its process
/// (storage's database). The actor system it runs on is made by someone else: <see cref="StageHost"/> (the
/// sample's processes, under the launcher, systemd or by hand) or a multi-process spec's role (the TestKit's child
/// process, on the transport under test), so both run the very same stage.
/// </summary>
internal sealed class PipelineStage : IDisposable
{
    private readonly PipelineOptions _options;
    private readonly StageReporter _reporter;
    private readonly FileStore? _store;
    private IngesterStage? _ingester;

    private PipelineStage(StageRole role, PipelineOptions options, StageReporter reporter)
    {
        Role = role;
        _options = options;
        _reporter = reporter;
        _store = role == StageRole.Storage ? new FileStore(options.DatabasePath) : null;
    }

    public StageRole Role { get; }

    /// <summary>The id of the stage's machine: its actor's name and the key of its route.</summary>
    public string MachineId => MachineScripts.Id(Role);

    /// <summary>
    /// The ingester's run: completes when every file is stored or rejected (with the summary it has also reported).
    /// Null before <see cref="NewMachine"/> and for the other stages, which run until stopped.
    /// </summary>
    public Task<RunSummary>? Finished => _ingester?.Finished;

    /// <summary>Opens the stage: checks its input (the ingester's folder) and opens its database (storage).</summary>
    /// <exception cref="PipelineUsageException">The ingester's input folder does not exist.</exception>
    public static PipelineStage Open(StageRole role, PipelineOptions options, StageReporter reporter)
    {
        if (role == StageRole.Ingester && !Directory.Exists(options.Input))
            throw new PipelineUsageException($"--input {options.Input}: no such folder.");
        return new PipelineStage(role, options, reporter);
    }

    /// <summary>
    /// A new machine for the stage, to spawn on its node's actor system: again for each actor system of the process
    /// (a node that restarts its actor system spawns the stage anew; storage keeps its database).
    /// </summary>
    public MachineDefinition NewMachine()
    {
        switch (Role)
        {
            case StageRole.Ingester:
                _ingester = new IngesterStage(_options.Input!, _options.InFlight, _options.Batch, _options.MaxFileSize, _reporter);
                return _ingester.Definition;
            case StageRole.Processor:
                return new ProcessorStage(_reporter, TimeSpan.FromMilliseconds(_options.ProcessDelayMs)).Definition;
            default:
                return new StorageStage(_store!, _reporter).Definition;
        }
    }

    public void Dispose() => _store?.Dispose();
}
