using XStateNet.Actors.Samples.Pipeline.Stages;

namespace XStateNet.Actors.Samples.Pipeline.Tests;

/// <summary>The stages' heap warm-up touches what it says and leaves nothing behind.</summary>
public sealed class HeapWarmUpSpecs
{
    [Fact]
    public void It_allocates_the_asked_heap_on_the_small_object_heap_and_frees_all_of_it()
    {
        var largeBefore = GC.GetGCMemoryInfo(GCKind.Any).GenerationInfo[3].SizeAfterBytes;
        var allocated = HeapWarmUp.Run(mib: 16);

        Assert.InRange(allocated, 16L * 1024 * 1024, 17L * 1024 * 1024);
        // The forced collection at its end saw the arrays dead: nothing of them survived into any generation.
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        Assert.True(info.PromotedBytes < 8L * 1024 * 1024, $"{info.PromotedBytes} bytes survived the warm-up's collection");
        // None went to the large-object heap (generation 3 in GCMemoryInfo): the run's messages are small objects.
        Assert.True(info.GenerationInfo[3].SizeAfterBytes - largeBefore < 1024 * 1024);
    }

    [Fact]
    public void Zero_does_nothing_and_a_negative_size_is_refused()
    {
        Assert.Equal(0, HeapWarmUp.Run(mib: 0) / (1024 * 1024));
        Assert.Throws<ArgumentOutOfRangeException>(() => HeapWarmUp.Run(mib: -1));
    }
}
