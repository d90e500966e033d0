using Microsoft.Data.Sqlite;
using XStateNet.Actors.Samples.Pipeline.Baseline;
using XStateNet.Actors.Samples.Pipeline.Launching;

namespace XStateNet.Actors.Samples.Pipeline.Tests;

/// <summary>The one-thread baseline does the pipeline's work: every good file stored once, the bad ones refused.</summary>
public sealed class BaselineSpecs : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void The_baseline_stores_every_good_file_once_and_refuses_the_bad_ones()
    {
        const int good = OneThreadBaseline.Group * 2 + 5; // two full groups and a partial one
        DemoInput.Generate(_folder["input"], good, size: 300, maxFileSize: 4096);

        var result = OneThreadBaseline.Run(_folder["input"], _folder["baseline.db"], maxFileSize: 4096);

        Assert.Equal(good, result.Files);
        Assert.Equal(3, result.Rejected);
        using var connection = new SqliteConnection($"Data Source={_folder["baseline.db"]};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(DISTINCT path), COUNT(*), MIN(lines) FROM files";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(good, reader.GetInt64(0));
        Assert.Equal(good, reader.GetInt64(1));
        Assert.True(reader.GetInt64(2) >= 1);
    }

    public void Dispose() => _folder.Dispose();
}
