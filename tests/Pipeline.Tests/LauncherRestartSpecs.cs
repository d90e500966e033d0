using System.Text.RegularExpressions;
using XStateNet.Actors.Samples.Pipeline.Launching;

namespace XStateNet.Actors.Samples.Pipeline.Tests;

/// <summary>
/// The launcher's own promise: a stage that dies mid-run (SIGKILL, by PID) is started again with the same arguments,
/// hence at the same address and on the same database, and the run ends with every file stored once. One transport
/// (the default, shm) and one stage (storage, which reopens the database) suffice here: <see cref="NothingLostSpecs"/>
/// kills both stages over every transport on the TestKit.
/// </summary>
public sealed class LauncherRestartSpecs
{
    private const int GoodFiles = 120;
    private const long MaxFileSize = 64 * 1024;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task The_launcher_restarts_a_killed_stage_and_every_file_is_stored_exactly_once()
    {
        const string transport = "shm", victim = "storage";
        using var folder = new TempFolder();
        DemoInput.Generate(folder["input"], GoodFiles, size: 256, MaxFileSize);
        using var run = PipelineRun.Start(folder.Path,
            "--transport", transport, "--input", folder["input"], "--db", folder["pipeline.db"],
            "--in-flight", "8", "--process-delay", "25", "--max-file-size", MaxFileSize.ToString());

        // Kill once storage has saved some files but well before the end.
        await run.WaitForLineAsync(StorageProgress(), RunTimeout, m => int.Parse(m.Groups["done"].Value) >= 25);
        var pid = run.StagePid(victim);
        using (var stage = System.Diagnostics.Process.GetProcessById(pid)) stage.Kill();

        await run.WaitForExitAsync(RunTimeout);
        Assert.True(run.ExitCode == 0, $"launcher exit code {run.ExitCode}:\n{run.Output}");
        Assert.Matches($@"(?m)^restarted {victim} pid=\d+ restarts=1", run.Output);
        Assert.Matches($@"(?m)^summary transport={transport} files={GoodFiles} .* resent=[1-9]\d* rejected=3 ", run.Output);
        Assert.Contains($"rejected {folder["input"]}/{DemoInput.TooLarge}: ", run.Output);
        Assert.Contains($"rejected {folder["input"]}/{DemoInput.NotUtf8}: not valid UTF-8", run.Output);
        Assert.Contains($"rejected {folder["input"]}/{DemoInput.Unreadable}: unreadable", run.Output);
        StoredFiles.AssertEachStoredOnce(folder["input"], folder["pipeline.db"], GoodFiles);
    }

    private static Regex StorageProgress() => new(@"^progress storage (?<done>\d+)/");
}
