namespace XStateNet.Actors.Samples.Pipeline.Stages;

// The payloads the stages send one another. Public records: Hyperion writes them as they are (no per-field
// conversion, as an anonymous type needs), the receiving process has the same type, and an action reads them
// either typed (ctx.Payload as FileToStore) or through ctx.EventData as dynamic, as the reference documents do.

/// <summary>ingester → processor (<c>PROCESS_DATA</c>): a file's content to transform.</summary>
public sealed record FileToProcess(string File, string Hash, byte[] Data);

/// <summary>processor → storage (<c>SAVE_DATA</c>): a transformed file to save.</summary>
public sealed record FileToStore(string File, string Hash, int Bytes, int Lines, int Words, string Text);

/// <summary>storage → ingester (<c>FILE_COMPLETE</c>): the file is committed (or was already).</summary>
public sealed record FileStored(string File, string Hash);

/// <summary>processor → ingester (<c>FILE_REJECTED</c>): the file cannot be transformed; reported, never retried.</summary>
public sealed record FileRefused(string File, string Hash, string Reason);
