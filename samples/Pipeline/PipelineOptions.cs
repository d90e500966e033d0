namespace XStateNet.Actors.Samples.Pipeline;

/// <summary>The three stages, each a machine with the same id in its own process.</summary>
internal enum StageRole
{
    Ingester,
    Processor,
    Storage,
}

/// <summary>Everything the command line says, for the launcher and for a stage run alone.</summary>
internal sealed record PipelineOptions
{
    public const int DefaultFiles = 2000;
    public const int DefaultSize = 1024;
    public const int DefaultInFlight = 1024;
    public const int DefaultBatch = 32;
    public const long DefaultMaxFileSize = 512 * 1024;

    /// <summary>Folder of files to ingest; null: the launcher generates demo input.</summary>
    public string? Input { get; init; }

    /// <summary>SQLite database file; null: pipeline.db in the working folder.</summary>
    public string? Db { get; init; }

    /// <summary>Transport name (shm, pipe, tcp); null: the default (shm), falling back to tcp when shm is not built.</summary>
    public string? Transport { get; init; }

    public int Files { get; init; } = DefaultFiles;

    public int Size { get; init; } = DefaultSize;

    /// <summary>Null: the launcher, which runs all three stages.</summary>
    public StageRole? Role { get; init; }

    /// <summary>How many files the ingester keeps between reading and FILE_COMPLETE.</summary>
    public int InFlight { get; init; } = DefaultInFlight;

    /// <summary>Files per event between the stages, at most: the per-event cost is paid once per batch.</summary>
    public int Batch { get; init; } = DefaultBatch;

    public long MaxFileSize { get; init; } = DefaultMaxFileSize;

    /// <summary>Working folder for generated input, the default database, routes and logs.</summary>
    public string? Work { get; init; }

    /// <summary>HOCON file with the stages' routes (<c>xstatenet.machines</c>); null: the default ports 20001-20003.</summary>
    public string? Config { get; init; }

    /// <summary>Plain lines instead of live progress bars.</summary>
    public bool NoUi { get; init; }

    /// <summary>Set by the launcher on its children: exit when this process is gone.</summary>
    public int? ParentPid { get; init; }

    /// <summary>Simulated transformation cost per file in the processor, to watch the pipeline at a human pace.</summary>
    public int ProcessDelayMs { get; init; }

    /// <summary>The host directory's folder to publish the stages' machines in (for <c>xstatenet inspect</c>); null: not published.</summary>
    public string? Directory { get; init; }

    /// <summary>Before the pipeline, do the same work on the same input in one thread, and print the ratio.</summary>
    public bool Baseline { get; init; }

    /// <summary>Where generated input and the default database go.</summary>
    public string WorkFolder => Work ?? Path.Combine(Path.GetTempPath(), "xstatenet-pipeline");

    public string DatabasePath => Path.GetFullPath(Db ?? Path.Combine(WorkFolder, "pipeline.db"));
}
