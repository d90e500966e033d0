using XStateNet.Actors.Samples.Pipeline.Reporting;

namespace XStateNet.Actors.Samples.Pipeline.Stages;

/// <summary>
/// The processor's actions: decode each file as strict UTF-8, normalise it and count its lines and words, and
/// send the results to storage, a batch in, a batch out. Content that is not UTF-8 goes back to the ingester as <c>FILE_REJECTED</c>.
/// It keeps nothing: what it loses when storage is gone, the ingester sends again.
/// </summary>
internal sealed class ProcessorStage(StageReporter reporter, TimeSpan delayPerFile)
{
    private long _processed;
    private long _rejected;

    public MachineDefinition Definition => new(MachineScripts.Id(StageRole.Processor), MachineScripts.For(StageRole.Processor))
    {
        Actions = new Dictionary<string, Action<OrchestratedContext>>
        {
            ["pong"] = ctx => ctx.RequestSend(ctx.SourceMachineId ?? "ingester", PipelineEvents.Pong),
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
