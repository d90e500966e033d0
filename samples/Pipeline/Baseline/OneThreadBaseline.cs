using System.Diagnostics;
using XStateNet.Actors.Samples.Pipeline.Stages;

namespace XStateNet.Actors.Samples.Pipeline.Baseline;

/// <summary>
/// The yardstick for the pipeline: the same work on the same input by one thread in one process, no actors, no
/// transport. Read, hash, decode as strict UTF-8, normalise, and insert into SQLite in groups of <see cref="Group"/>,
/// through the very functions the stages call (<see cref="FileReader"/>, <see cref="FileTransform"/>,
/// <see cref="FileStore"/>). Three processes on two cores earn their keep only when they beat this.
/// </summary>
internal static class OneThreadBaseline
{
    /// <summary>Files per transaction: as many as a busy storage stage commits at once, give or take.</summary>
    public const int Group = 64;

    public static BaselineResult Run(string input, string database, long maxFileSize)
    {
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        using var store = new FileStore(database);
        var group = new List<FileToStore>(Group);
        long stored = 0, rejected = 0;
        foreach (var path in InputFolder.List(input))
        {
            if (!FileReader.TryRead(path, maxFileSize, out var content, out _)
                || !FileTransform.TryDecode(content, out var text, out _))
            {
                rejected++;
                continue;
            }
            var hash = FileTransform.Hash(content);
            var transformed = FileTransform.Normalise(text);
            group.Add(new FileToStore(path, hash, content.Length, transformed.Lines, transformed.Words, transformed.Text));
            if (group.Count == Group) stored += Flush(store, group);
        }
        stored += Flush(store, group);
        var elapsed = clock.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        return new BaselineResult(stored, rejected, elapsed.TotalMilliseconds, cpu.TotalMilliseconds);
    }

    private static long Flush(FileStore store, List<FileToStore> group)
    {
        if (group.Count == 0) return 0;
        var saved = store.SaveGroup(group);
        group.Clear();
        return saved;
    }
}

/// <summary>What the one-thread run did and what it cost.</summary>
internal sealed record BaselineResult(long Files, long Rejected, double ElapsedMs, double CpuMs)
{
    public double FilesPerSecond => ElapsedMs > 0 ? Files / (ElapsedMs / 1000) : 0;

    /// <summary>CPU time of the process per stored file, in µs.</summary>
    public double CpuMicrosPerFile => Files > 0 ? CpuMs * 1000 / Files : 0;
}
