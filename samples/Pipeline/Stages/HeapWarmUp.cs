namespace XStateNet.Actors.Samples.Pipeline.Stages;

/// <summary>
/// What a stage does to its heap before it says it is ready: allocates <see cref="DefaultMiB"/> of short-lived arrays
/// and collects them, so the pages the run's allocations will land on are already faulted in.
/// </summary>
/// <remarks>
/// A fresh process's heap grows as it first allocates, and the kernel zeroes each new page at its first touch: in a
/// profile of a 60,000-file run, page faults under the runtime's allocation helpers were 54 % of the ingester's CPU in
/// the run's first 0.75 s (12 % of storage's). The sample keeps freed heap mapped (<c>RetainVMGarbageCollection</c>
/// in its csproj), so memory touched here and freed is what the run's allocations reuse. The arrays stay under the
/// large-object threshold (85,000 bytes) so they use the small-object heap, where a run's messages are allocated.
/// Measured on 20,000 files of 1 KiB over shm, alternated: 29–38K files/s with 64–128 MiB against 28–32K without, the
/// stages' peak memory the same (the run touches as much itself); 32 MiB was not enough to tell apart.
/// </remarks>
internal static class HeapWarmUp
{
    /// <summary>How much heap a stage touches before it reports ready.</summary>
    public const int DefaultMiB = 64;

    private const int ArrayBytes = 64 * 1024;

    /// <summary>Touches <paramref name="mib"/> MiB of heap and frees it; returns the bytes allocated.</summary>
    public static long Run(int mib = DefaultMiB)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(mib);
        var before = GC.GetAllocatedBytesForCurrentThread();
        // Kept alive together, so the heap really grows to this size before the collection frees it all.
        var arrays = new byte[(int)((long)mib * 1024 * 1024 / ArrayBytes)][];
        for (var i = 0; i < arrays.Length; i++) arrays[i] = new byte[ArrayBytes];
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(arrays);
        arrays = null;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return allocated;
    }
}
