using Akka.Actor;
using AkkaSerialization = Akka.Serialization.Serialization;

namespace XStateNet.Actors.Samples.Pipeline.Stages;

/// <summary>
/// What a stage does before it says it is ready: one event of each payload the stages exchange goes through the
/// serializer a remote event uses and back, is read through <c>dynamic</c> as the actions read it, and one small file
/// goes through the per-file work: read from disk, hashed, decoded, normalised, and saved into a database in memory.
/// With tiered compilation off (see the csproj), every method is compiled at its first call, Hyperion builds a
/// serializer per payload type at its first message, and the C# binder loads what it knows of a type at its first
/// <c>dynamic</c> access: done here, that cost is start-up (reported as such), not the run's first files.
/// </summary>
/// <remarks>
/// The run's own call sites still bind once each, but on a binder that already knows the payload types: in a profile of
/// a 20,000-file run, compiling and binding for the actions' first <c>dynamic</c> reads, the first SQLite insert and the
/// first file read was 8–12 % of each stage's CPU in the run, nearly all of it in its first 150 ms.
/// </remarks>
internal static class MessagePathWarmUp
{
    public static void Run(ActorSystem system)
    {
        var serialization = system.Serialization;
        foreach (var message in Samples())
        {
            var serializer = serialization.FindSerializerFor(message);
            var bytes = serializer.ToBinary(message);
            var back = serialization.Deserialize(bytes, serializer.Identifier, AkkaSerialization.ManifestFor(serializer, message));
            if (back is not MachineEvent machineEvent) throw new InvalidOperationException($"warm-up: {message} came back as {back?.GetType().Name ?? "null"}");
            ReadAsTheActionsDo(machineEvent.Data);
        }
        PerFileWork();
    }

    // The members each stage's actions read, in the way they read them (dynamic member access, foreach over a dynamic
    // collection, implicit conversions to string, byte[] and int).
    private static void ReadAsTheActionsDo(object? payload)
    {
        switch (payload)
        {
            case FileBatch<FileToProcess>:
                foreach (var input in ((dynamic)payload).Files)
                {
                    string file = input.File, hash = input.Hash;
                    byte[] data = input.Data;
                    GC.KeepAlive((file, hash, data));
                }
                break;
            case FileBatch<FileToStore>:
                foreach (var input in ((dynamic)payload).Files)
                {
                    GC.KeepAlive(new FileToStore(input.File, input.Hash, (int)input.Bytes, (int)input.Lines, (int)input.Words, input.Text));
                }
                break;
            case FileBatch<FileStored>:
                foreach (var stored in ((dynamic)payload).Files)
                {
                    string file = stored.File, hash = stored.Hash;
                    GC.KeepAlive((file, hash));
                }
                break;
            case FileRefused:
                var refused = (dynamic)payload;
                string path = refused.File, reason = refused.Reason;
                GC.KeepAlive((path, reason));
                break;
        }
    }

    private static void PerFileWork()
    {
        var sample = Path.Combine(Path.GetTempPath(), $"xstatenet-pipeline-warm-up-{Environment.ProcessId}-{Guid.NewGuid():N}.txt");
        try
        {
            File.WriteAllBytes(sample, SampleContent);
            if (!FileReader.TryRead(sample, 1024, out var content, out var problem)) throw new InvalidOperationException($"warm-up: {problem}");
            var hash = FileTransform.Hash(content);
            FileTransform.TryDecode(content, out var text, out _);
            var transformed = FileTransform.Normalise(text);
            using var store = FileStore.InMemory();
            store.SaveGroup([new FileToStore("warm-up", hash, content.Length, transformed.Lines, transformed.Words, transformed.Text)]);
        }
        finally
        {
            File.Delete(sample);
        }
    }

    // A small file's content: the events carry it, and the per-file work reads it back from disk.
    private static ReadOnlySpan<byte> SampleContent => "warm-up\nline two\n"u8;

    private static IEnumerable<MachineEvent> Samples()
    {
        byte[] content = SampleContent.ToArray();
        var hash = FileTransform.Hash(content);
        FileTransform.TryDecode(content, out var text, out _);
        var transformed = FileTransform.Normalise(text);
        yield return new MachineEvent(PipelineEvents.ProcessData, new FileBatch<FileToProcess>([new FileToProcess("warm-up", hash, content)]));
        yield return new MachineEvent(PipelineEvents.SaveData, new FileBatch<FileToStore>(
            [new FileToStore("warm-up", hash, content.Length, transformed.Lines, transformed.Words, transformed.Text)]));
        yield return new MachineEvent(PipelineEvents.FileComplete, new FileBatch<FileStored>([new FileStored("warm-up", hash)]));
        yield return new MachineEvent(PipelineEvents.FileRejected, new FileRefused("warm-up", hash, "warm-up"));
        yield return new MachineEvent(PipelineEvents.Ping);
    }
}
