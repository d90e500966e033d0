namespace XStateNet.Actors.Samples.Pipeline.Stages;

/// <summary>The events the stages send one another.</summary>
internal static class PipelineEvents
{
    /// <summary>ingester → processor: a file's content to transform.</summary>
    public const string ProcessData = "PROCESS_DATA";

    /// <summary>processor → storage: a transformed file to save.</summary>
    public const string SaveData = "SAVE_DATA";

    /// <summary>storage → ingester: the file is saved; its flow-control slot is free.</summary>
    public const string FileComplete = "FILE_COMPLETE";

    /// <summary>processor → ingester: the file cannot be transformed (not UTF-8); reported, never retried.</summary>
    public const string FileRejected = "FILE_REJECTED";

    /// <summary>ingester → processor/storage: are you there? Also what makes the ingester watch them.</summary>
    public const string Ping = "PING";

    /// <summary>The answer to <see cref="Ping"/>.</summary>
    public const string Pong = "PONG";

    /// <summary>ingester → itself, every second: re-send what sits in flight without progress.</summary>
    public const string StallCheck = "STALL_CHECK";
}
