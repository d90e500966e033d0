using System.Diagnostics;
using XStateNet.Actors.Samples.Pipeline.Launching;
using XStateNet.Actors.Samples.Pipeline.Reporting;
using XStateNet.Actors.Samples.Pipeline.Tests.Stages;
using XStateNet.Actors.TestKit;
using Xunit.Abstractions;

namespace XStateNet.Actors.Samples.Pipeline.Tests;

/// <summary>
/// The pipeline's promise, end to end on the TestKit: the sample's three stages in three child processes
/// (<see cref="StageRoles"/>) over each transport; the processor, then storage, killed with <c>kill -9</c> mid-run
/// and started again at its address; the ingester re-sends what was in flight, every good file ends up in the
/// database exactly once with its content hash, and the bad files are reported, not dropped.
/// </summary>
/// <remarks>
/// Both kills in one run per transport: each is mid-run (storage has saved some files, and far from all), and the
/// second comes only once files flow again after the first, so one run proves both recoveries at the cost of one set
/// of process starts.
/// </remarks>
public sealed class NothingLostSpecs(ITestOutputHelper output) : MultiNodeSpec<StageRoles>(output)
{
    private const int GoodFiles = 120;
    private const long MaxFileSize = 64 * 1024;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    [Theory]
    [MemberData(nameof(MultiNodeTransports.All), MemberType = typeof(MultiNodeTransports))]
    public async Task Processor_and_storage_killed_mid_run_come_back_at_their_addresses_and_every_file_is_stored_exactly_once(string transport)
    {
        using var folder = new TempFolder();
        var input = folder["input"];
        DemoInput.Generate(input, GoodFiles, size: 256, MaxFileSize);
        var clock = Stopwatch.StartNew();
        await UseTransport(transport);
        var run = StageRoles.RunSettings(new PipelineOptions
        {
            Input = input, Db = folder["pipeline.db"], InFlight = 8, ProcessDelayMs = 25, MaxFileSize = MaxFileSize,
        });
        foreach (var role in Roles.Roles) ConfigureRole(role.Name, run);
        await StartNodes("storage", "processor", "ingester");
        var started = clock.Elapsed;

        // 25 ms a file in the processor and at most 8 in flight: storage is far from done when each kill comes.
        await StoredAtLeast(25);
        await Restart("processor"); // kill -9, then a new process at the same address (the TestKit checks its READY address)
        await StoredAtLeast(60);    // the same storage process: files flow again through the new processor
        await Restart("storage");   // with a group open or not: the ingester re-sends whatever it has not confirmed

        var summary = await Summary();
        Note($"MEASURED {transport}: three stages ready after {started.TotalSeconds:0.0} s, the run with two kills done after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(summary.Files == GoodFiles, $"{summary.Files} files confirmed, not {GoodFiles}\n{NodesLog()}");
        Assert.True(summary.Resent > 0, $"nothing was re-sent after two kills\n{NodesLog()}");
        StoredFiles.AssertBadOnesRejected(input, summary.Rejected);
        StoredFiles.AssertEachStoredOnce(input, folder["pipeline.db"], GoodFiles);
    }

    /// <summary>Waits until the running storage process has reported at least <paramref name="files"/> saved.</summary>
    private Task StoredAtLeast(int files) =>
        Node("storage").WaitForLine(0, line => StageReport.TryParse(line) is { Kind: StageReport.Progress, Done: { } done } && done >= files, RunTimeout);

    /// <summary>The ingester's summary: it reports it once every file is stored or rejected.</summary>
    private async Task<RunSummary> Summary()
    {
        var line = await Node("ingester").WaitForLine(0, line => StageReport.TryParse(line) is { Kind: StageReport.Summary }, RunTimeout);
        return StageReport.TryParse(line)!.Result ?? throw new InvalidOperationException($"a summary without its result: {line}");
    }
}
