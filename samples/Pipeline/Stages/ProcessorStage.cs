using XStateNet.Actors.Samples.Pipeline.Reporting;

namespace XStateNet.Actors.Samples.Pipeline.Stages;

/// <summary>
/// The processor's actions: decode each file as strict UTF-8, normalise it and count its lines and words, and
/// send the results to storage, a batch in, a batch out. Content that is not UTF-8 goes back to the ingester as <c>FILE_REJECTED</c>.
/// It keeps nothing: what it loses when storage is gone, the ingester sends again.
/// </summary>
internal sealed class ProcessorStage(StageReporter reporter, TimeSpan delayPerFile)
{
    private readonly HashSet<string> _askers = new(StringComparer.Ordinal);
    private long _processed;
    private long _rejected;

    public MachineDefinition Definition => new(MachineScripts.Id(StageRole.Processor), MachineScripts.For(StageRole.Processor))
    {
        Actions = new Dictionary<string, Action<OrchestratedContext>>
        {
            ["pong"] = AnswerWhenStorageAnswers,
            ["storageAnswered"] = StorageAnswered,
            ["reportUndelivered"] = ctx =>
            {
                var error = (CommunicationError)ctx.Payload!;
                reporter.Note($"{error.EventName} to {error.TargetMachineId} not delivered ({error.Reason}); the ingester will send the file again");
            },
            ["reportPeerLost"] = ctx => reporter.Note($"{((MachineTerminated)ctx.Payload!).MachineId} is gone"),
        },
        AsyncActions = new Dictionary<string, Func<OrchestratedContext, Task>>
        {
            ["transformData"] = TransformData,
        },
    };

    /// <summary>
    /// A PING is answered only once storage answers one of ours: the processor is ready when it can pass files on.
    /// So the run starts with every link of the chain connected (the processor's association to storage set up and
    /// its code compiled), not with the first batches waiting for it.
    /// </summary>
    private void AnswerWhenStorageAnswers(OrchestratedContext ctx)
    {
        _askers.Add(ctx.SourceMachineId ?? "ingester");
        ctx.RequestSend("storage", PipelineEvents.Ping);
    }

    private void StorageAnswered(OrchestratedContext ctx)
    {
        foreach (var asker in _askers) ctx.RequestSend(asker, PipelineEvents.Pong);
        _askers.Clear();
    }

    /// <summary>Transforms a batch of files; the good ones go on to storage as one batch, each bad one back on its own.</summary>
    private Task TransformData(OrchestratedContext ctx)
    {
        var toStore = new List<FileToStore>();
        foreach (var input in ctx.EventData!.Files)
        {
            string file = input.File, hash = input.Hash;
            byte[] data = input.Data;
            if (!FileTransform.TryDecode(data, out var text, out var problem))
            {
                _rejected++;
                ctx.RequestSend("ingester", PipelineEvents.FileRejected, new FileRefused(file, hash, problem));
                continue;
            }
            var transformed = FileTransform.Normalise(text);
            toStore.Add(new FileToStore(file, hash, data.Length, transformed.Lines, transformed.Words, transformed.Text));
        }
        reporter.Progress(_processed, _rejected);
        if (toStore.Count == 0) return Task.CompletedTask;
        if (delayPerFile > TimeSpan.Zero) return Slowly(ctx, toStore);
        Send(ctx, toStore);
        return Task.CompletedTask;
    }

    private async Task Slowly(OrchestratedContext ctx, List<FileToStore> files)
    {
        await Task.Delay(delayPerFile * files.Count);
        Send(ctx, files);
    }

    private void Send(OrchestratedContext ctx, List<FileToStore> files)
    {
        ctx.RequestSend("storage", PipelineEvents.SaveData, new FileBatch<FileToStore>([.. files]));
        _processed += files.Count;
        reporter.Progress(_processed, _rejected);
    }
}
