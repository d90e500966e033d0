using Microsoft.Data.Sqlite;
using XStateNet.Actors.Samples.Pipeline.Stages;

namespace XStateNet.Actors.Samples.Pipeline.Tests;

/// <summary>Storage's group commit: one transaction per group, idempotent per file.</summary>
public sealed class FileStoreSpecs : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void A_group_is_saved_in_one_go_and_files_saved_before_are_counted_as_duplicates()
    {
        using var store = new FileStore(_folder["files.db"]);
        Assert.Equal(2, store.SaveGroup([File("a", "1"), File("b", "2")]));
        Assert.Equal(1, store.SaveGroup([File("a", "1"), File("c", "3"), File("b", "2")]));
        Assert.Equal(3, Count());
    }

    [Fact]
    public void The_same_path_with_other_content_is_a_new_row()
    {
        using var store = new FileStore(_folder["files.db"]);
        Assert.Equal(2, store.SaveGroup([File("a", "1"), File("a", "2")]));
        Assert.Equal(2, Count());
    }

    [Fact]
    public void A_group_that_fails_part_way_stores_nothing_of_it()
    {
        using var store = new FileStore(_folder["files.db"]);
        // The third row cannot be written (no content), and with it goes the whole transaction.
        Assert.ThrowsAny<Exception>(() => store.SaveGroup([File("a", "1"), File("b", "2"), File("c", "3") with { Text = null! }]));
        Assert.Equal(0, Count());
        Assert.Equal(1, store.SaveGroup([File("a", "1")]));
    }

    private static FileToStore File(string path, string hash) => new(path, hash, 5, 1, 1, "hello");

    private long Count()
    {
        using var connection = new SqliteConnection($"Data Source={_folder["files.db"]};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM files";
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose() => _folder.Dispose();
}
