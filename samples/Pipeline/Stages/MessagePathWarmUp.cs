using Akka.Actor;
using AkkaSerialization = Akka.Serialization.Serialization;

namespace XStateNet.Actors.Samples.Pipeline.Stages;

/// <summary>
/// What a stage does before it says it is ready: one event of each payload the stages exchange goes through the
/// serializer a remote event uses and back, and one small file through the per-file work. With tiered compilation off
/// (see the csproj), every method is compiled at its first call, and Hyperion builds a serializer per payload type at
/// its first message: done here, that cost is start-up (reported as such), not the run's first files.
/// </summary>
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
            if (back is not MachineEvent) throw new InvalidOperationException($"warm-up: {message} came back as {back?.GetType().Name ?? "null"}");
        }
    }

    private static IEnumerable<MachineEvent> Samples()
    {
        byte[] content = "warm-up\nline two\n"u8.ToArray();
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
