using XStateNet.Actors.Samples.Pipeline.Reporting;

namespace XStateNet.Actors.Samples.Pipeline.Stages;

/// <summary>
/// The processor's actions: decode each file as strict UTF-8, normalise it and count its lines and words, and
/// send the result to storage. Content that is not UTF-8 goes back to the ingester as <c>FILE_REJECTED</c>.
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

    private Task TransformData(OrchestratedContext ctx)
    {
        var input = ctx.EventData!;
        string file = input.File, hash = input.Hash;
        byte[] data = input.Data;
        if (!FileTransform.TryDecode(data, out var text, out var problem))
        {
            _rejected++;
            reporter.Progress(_processed, _rejected);
            ctx.RequestSend("ingester", PipelineEvents.FileRejected, new FileRefused(file, hash, problem));
            return Task.CompletedTask;
        }

        var transformed = FileTransform.Normalise(text);
        if (delayPerFile > TimeSpan.Zero) return Slowly(ctx, file, hash, data.Length, transformed);
        Send(ctx, file, hash, data.Length, transformed);
        return Task.CompletedTask;
    }

    private async Task Slowly(OrchestratedContext ctx, string file, string hash, int bytes, FileTransform.Transformed transformed)
    {
        await Task.Delay(delayPerFile);
        Send(ctx, file, hash, bytes, transformed);
    }

    private void Send(OrchestratedContext ctx, string file, string hash, int bytes, FileTransform.Transformed transformed)
    {
        ctx.RequestSend("storage", PipelineEvents.SaveData,
            new FileToStore(file, hash, bytes, transformed.Lines, transformed.Words, transformed.Text));
        _processed++;
        reporter.Progress(_processed, _rejected);
    }
}
