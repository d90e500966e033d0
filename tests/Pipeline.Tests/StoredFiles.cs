using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using XStateNet.Actors.Samples.Pipeline.Launching;
using XStateNet.Actors.Samples.Pipeline.Reporting;

namespace XStateNet.Actors.Samples.Pipeline.Tests;

/// <summary>What a run must have done with the demo input, however its stages were run and killed.</summary>
internal static class StoredFiles
{
    /// <summary>Every good file of <paramref name="input"/> is in the database once, with the hash of its content.</summary>
    public static void AssertEachStoredOnce(string input, string database, int goodFiles)
    {
        var expected = Directory.EnumerateFiles(input, "file-*.txt")
            .ToDictionary(path => path, path => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
        var stored = Rows(database);
        Assert.Equal(goodFiles, expected.Count);
        Assert.Equal(expected.Count, stored.Count); // one row per file: no loss, no duplicate
        Assert.Equal(expected.OrderBy(e => e.Key), stored.GroupBy(r => r.Path).Select(g => KeyValuePair.Create(g.Key, g.Single().Hash)).OrderBy(e => e.Key));
    }

    /// <summary>The three bad files of the demo input are reported, each with its reason, and nothing else is.</summary>
    public static void AssertBadOnesRejected(string input, IReadOnlyList<Rejection> rejected)
    {
        var reasons = rejected.ToDictionary(r => r.Path, r => r.Reason);
        Assert.Equal(3, reasons.Count);
        Assert.Contains(Path.Combine(input, DemoInput.TooLarge), reasons.Keys);
        Assert.StartsWith("not valid UTF-8", reasons[Path.Combine(input, DemoInput.NotUtf8)]);
        Assert.StartsWith("unreadable", reasons[Path.Combine(input, DemoInput.Unreadable)]);
    }

    private static List<(string Path, string Hash)> Rows(string database)
    {
        var rows = new List<(string, string)>();
        // Read-write, not read-only: a storage killed with -9 leaves its write-ahead log, which a reader must be able to recover.
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        connection.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT path, hash FROM files";
        using var reader = query.ExecuteReader();
        while (reader.Read()) rows.Add((reader.GetString(0), reader.GetString(1)));
        return rows;
    }
}
