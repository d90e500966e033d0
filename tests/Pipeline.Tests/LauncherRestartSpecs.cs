using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using XStateNet.Actors.Samples.Pipeline.Launching;
using XStateNet.Actors.Samples.Pipeline.Transports;

namespace XStateNet.Actors.Samples.Pipeline.Tests;

/// <summary>
/// The issue's promise, end to end: three real processes, one of them killed (SIGKILL, by PID) in the middle of
/// the run; the launcher starts it again, the ingester re-sends what was in flight, and every good file ends up
/// in the database exactly once with its content hash, while the bad files are reported, not dropped.
/// </summary>
public sealed class NothingLostSpecs
{
    private const int GoodFiles = 120;
    private const long MaxFileSize = 64 * 1024;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Every transport whose HOCON file is built in, times the two stages the ingester depends on.</summary>
    public static TheoryData<string, string> TransportsAndVictims()
    {
        var cases = new TheoryData<string, string>();
        foreach (var transport in TransportCatalog.Names)
        {
            if (!File.Exists(TransportCatalog.FileOf(transport))) continue;
            cases.Add(transport, "processor");
            cases.Add(transport, "storage");
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(TransportsAndVictims))]
    public async Task A_stage_killed_mid_run_is_restarted_and_every_file_is_stored_exactly_once(string transport, string victim)
    {
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

        var expected = Directory.EnumerateFiles(folder["input"], "file-*.txt")
            .ToDictionary(path => path, path => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
        var stored = StoredRows(folder["pipeline.db"]);
        Assert.Equal(GoodFiles, expected.Count);
        Assert.Equal(expected.Count, stored.Count); // one row per file: no loss, no duplicate
        Assert.Equal(expected.OrderBy(e => e.Key), stored.GroupBy(r => r.Path).Select(g => KeyValuePair.Create(g.Key, g.Single().Hash)).OrderBy(e => e.Key));
    }

    private static List<(string Path, string Hash)> StoredRows(string database)
    {
        var rows = new List<(string, string)>();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT path, hash FROM files";
        using var reader = query.ExecuteReader();
        while (reader.Read()) rows.Add((reader.GetString(0), reader.GetString(1)));
        return rows;
    }

    private static Regex StorageProgress() => new(@"^progress storage (?<done>\d+)/");
}
