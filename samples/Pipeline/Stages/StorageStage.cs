using XStateNet.Actors.Samples.Pipeline.Reporting;

namespace XStateNet.Actors.Samples.Pipeline.Stages;

/// <summary>
/// Storage's actions: saves files in groups, one transaction for everything that has arrived (up to
/// <see cref="MaxGroup"/>), and confirms the group's files to the ingester in one <c>FILE_COMPLETE</c> only once the
/// group is committed, also those already saved, so a re-sent file frees its slot.
/// </summary>
/// <remarks>
/// A batch of files joins the open group as its <c>SAVE_DATA</c> is handled; the first one of a group queues a <c>COMMIT</c>
/// to this machine, which lands behind whatever already waits in the mailbox, so under load a group is everything
/// that arrived meanwhile and on a quiet link it is one file at once. One transaction per group instead of per file
/// takes the commit (and its write-ahead-log sync) out of the per-file cost. A storage killed with a group open has
/// confirmed none of it: the ingester sends those files again, and saving is idempotent, so each is stored once.
/// </remarks>
internal sealed class StorageStage(FileStore store, StageReporter reporter)
{
    /// <summary>The most files one transaction holds.</summary>
    internal const int MaxGroup = 256;

    private const string Commit = "COMMIT";

    private readonly List<FileToStore> _group = new(MaxGroup);
    private bool _commitQueued;
    private long _saved;
    private long _duplicates;

    public MachineDefinition Definition => new(MachineScripts.Id(StageRole.Storage), MachineScripts.For(StageRole.Storage))
    {
        Actions = new Dictionary<string, Action<OrchestratedContext>>
        {
            ["pong"] = ctx => ctx.RequestSend(ctx.SourceMachineId ?? "ingester", PipelineEvents.Pong),
            ["saveToDb"] = SaveToDb,
            ["commitGroup"] = CommitGroup,
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
        foreach (var input in ctx.EventData!.Files)
        {
            // A group never grows past the bound: commit what is there before a batch would overflow it.
            if (_group.Count >= MaxGroup) CommitGroup(ctx);
            _group.Add(new FileToStore(input.File, input.Hash, (int)input.Bytes, (int)input.Lines, (int)input.Words, input.Text));
        }
        if (_group.Count >= MaxGroup)
        {
            CommitGroup(ctx);
        }
        else if (!_commitQueued && _group.Count > 0)
        {
            _commitQueued = true;
            ctx.RequestSelfSend(Commit);
        }
    }

    private void CommitGroup(OrchestratedContext ctx)
    {
        if (ctx.EventName == Commit) _commitQueued = false;
        if (_group.Count == 0) return;
        var saved = store.SaveGroup(_group);
        _saved += saved;
        _duplicates += _group.Count - saved;
        reporter.Progress(_saved, _duplicates);
        ctx.RequestSend("ingester", PipelineEvents.FileComplete, new FileBatch<FileStored>([.. _group.Select(f => new FileStored(f.File, f.Hash))]));
        _group.Clear();
    }
}
