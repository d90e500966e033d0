using XStateNet.Actors.Samples.Pipeline.Reporting;

namespace XStateNet.Actors.Samples.Pipeline.Stages;

/// <summary>
/// Storage's actions: save each file (idempotently) and confirm it to the ingester with <c>FILE_COMPLETE</c>,
/// also when it was already saved, so a re-sent file frees its slot.
/// </summary>
internal sealed class StorageStage(FileStore store, StageReporter reporter)
{
    private long _saved;
    private long _duplicates;

    public MachineDefinition Definition => new(MachineScripts.Id(StageRole.Storage), MachineScripts.For(StageRole.Storage))
    {
        Actions = new Dictionary<string, Action<OrchestratedContext>>
        {
            ["pong"] = ctx => ctx.RequestSend(ctx.SourceMachineId ?? "ingester", PipelineEvents.Pong),
            ["saveToDb"] = SaveToDb,
            ["reportUndelivered"] = ctx =>
            {
                var error = (CommunicationError)ctx.Payload!;
                reporter.Note($"{error.EventName} to {error.TargetMachineId} not delivered ({error.Reason})");
            },
            ["reportPeerLost"] = ctx => reporter.Note($"{((MachineTerminated)ctx.Payload!).MachineId} is gone"),
        },
    };

    private void SaveToDb(OrchestratedContext ctx)
    {
        var input = ctx.EventData!;
        string file = input.File, hash = input.Hash, text = input.Text;
        if (store.Save(file, hash, (long)input.Bytes, (int)input.Lines, (int)input.Words, text)) _saved++;
        else _duplicates++;
        reporter.Progress(_saved, _duplicates);
        ctx.RequestSend("ingester", PipelineEvents.FileComplete, new { File = file, Hash = hash });
    }
}
