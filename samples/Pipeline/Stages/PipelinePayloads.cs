namespace XStateNet.Actors.Samples.Pipeline.Stages;

// The payloads the stages send one another. Public records: Hyperion writes them as they are (no per-field
// conversion, as an anonymous type needs), the receiving process has the same type, and an action reads them
// either typed (ctx.Payload as FileToStore) or through ctx.EventData as dynamic, as the reference documents do.

/// <summary>
/// Several files in one event: <c>PROCESS_DATA</c> carries <see cref="FileToProcess"/>es, <c>SAVE_DATA</c>
/// <see cref="FileToStore"/>s, <c>FILE_COMPLETE</c> <see cref="FileStored"/>s. Each event between processes has a fixed
/// cost (a machine step, serialization, the remote endpoint) that is many times the work on one small file; batching
/// pays it once per batch. <c>ctx.EventData.Files</c> reads it through <c>dynamic</c>.
/// </summary>
public sealed record FileBatch<T>(T[] Files);

/// <summary>ingester → processor (<c>PROCESS_DATA</c>, in a <see cref="FileBatch{T}"/>): a file's content to transform.</summary>
public sealed record FileToProcess(string File, string Hash, byte[] Data);

/// <summary>processor → storage (<c>SAVE_DATA</c>, in a <see cref="FileBatch{T}"/>): a transformed file to save.</summary>
public sealed record FileToStore(string File, string Hash, int Bytes, int Lines, int Words, string Text);

/// <summary>storage → ingester (<c>FILE_COMPLETE</c>, in a <see cref="FileBatch{T}"/>): the file is committed (or was already).</summary>
public sealed record FileStored(string File, string Hash);

/// <summary>processor → ingester (<c>FILE_REJECTED</c>): the file cannot be transformed; reported, never retried.</summary>
public sealed record FileRefused(string File, string Hash, string Reason);
