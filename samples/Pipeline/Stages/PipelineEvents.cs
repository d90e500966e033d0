namespace XStateNet.Actors.Samples.Pipeline.Stages;

/// <summary>The events the stages send one another.</summary>
internal static class PipelineEvents
{
    /// <summary>ingester → processor: files' content to transform (a <see cref="FileBatch{T}"/>).</summary>
    public const string ProcessData = "PROCESS_DATA";

    /// <summary>processor → storage: transformed files to save (a <see cref="FileBatch{T}"/>).</summary>
    public const string SaveData = "SAVE_DATA";

    /// <summary>storage → ingester: the files are saved; their flow-control slots are free (a <see cref="FileBatch{T}"/>).</summary>
    public const string FileComplete = "FILE_COMPLETE";

    /// <summary>processor → ingester: the file cannot be transformed (not UTF-8); reported, never retried.</summary>
    public const string FileRejected = "FILE_REJECTED";

    /// <summary>ingester → processor/storage: are you there? Also what makes the ingester watch them.</summary>
    public const string Ping = "PING";

    /// <summary>The answer to <see cref="Ping"/>.</summary>
    public const string Pong = "PONG";

    /// <summary>ingester → itself, every second: ping peers not known to be up, re-send what sits in flight without progress.</summary>
    public const string StallCheck = "STALL_CHECK";
}
