using Akka.Actor;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Samples.Pipeline.Stages;

namespace XStateNet.Actors.Samples.Pipeline.Tests;

/// <summary>What a stage does before it reports ready: the message path, the dynamic reads, the per-file work.</summary>
public sealed class WarmUpSpecs
{
    [Fact]
    public async Task The_message_path_warm_up_runs_every_payload_through_and_leaves_no_file_behind()
    {
        var system = ActorSystem.Create("pipeline-warm-up", XStateNetConfig.Default);
        try
        {
            MessagePathWarmUp.Run(system);
            Assert.Empty(Directory.GetFiles(Path.GetTempPath(), $"xstatenet-pipeline-warm-up-{Environment.ProcessId}-*"));
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public void The_store_in_memory_has_the_same_schema_and_saves_idempotently()
    {
        using var store = FileStore.InMemory();
        FileToStore[] group = [new("a.txt", "hash-a", 3, 1, 1, "abc"), new("b.txt", "hash-b", 3, 1, 1, "def")];
        Assert.Equal(2, store.SaveGroup(group));
        Assert.Equal(0, store.SaveGroup(group));
        Assert.False(File.Exists(":memory:"));
    }
}
