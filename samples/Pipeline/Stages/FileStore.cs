using Microsoft.Data.Sqlite;

namespace XStateNet.Actors.Samples.Pipeline.Stages;

/// <summary>
/// The pipeline's SQLite database: one row per file, keyed by its path and content hash, so saving the same
/// file again (after a re-send) changes nothing. WAL journal: a killed storage process loses no committed row.
/// </summary>
internal sealed class FileStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;

    public FileStore(string path)
        : this(path, inMemory: false)
    {
    }

    private FileStore(string path, bool inMemory)
    {
        if (!inMemory) Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode = WAL;");
        Execute("PRAGMA synchronous = NORMAL;");
        Execute("PRAGMA busy_timeout = 5000;");
        Execute("""
            CREATE TABLE IF NOT EXISTS files (
              path      TEXT    NOT NULL,
              hash      TEXT    NOT NULL,
              bytes     INTEGER NOT NULL,
              lines     INTEGER NOT NULL,
              words     INTEGER NOT NULL,
              content   TEXT    NOT NULL,
              stored_at TEXT    NOT NULL,
              PRIMARY KEY (path, hash)
            ) WITHOUT ROWID;
            """);
        _insert = _connection.CreateCommand();
        _insert.CommandText = """
            INSERT INTO files (path, hash, bytes, lines, words, content, stored_at)
            VALUES ($path, $hash, $bytes, $lines, $words, $content, $storedAt)
            ON CONFLICT (path, hash) DO NOTHING;
            """;
        foreach (var name in new[] { "$path", "$hash", "$bytes", "$lines", "$words", "$content", "$storedAt" })
        {
            _insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
        _insert.Prepare();
    }

    /// <summary>A store of the same schema in memory, gone when disposed: the stages' warm-up saves into it.</summary>
    public static FileStore InMemory() => new(":memory:", inMemory: true);

    /// <summary>
    /// Saves a group of files in one transaction; returns how many were new (the others were already there, same
    /// path and content). Nothing of the group is stored unless all of it is.
    /// </summary>
    public int SaveGroup(IReadOnlyList<FileToStore> files)
    {
        using var transaction = _connection.BeginTransaction();
        _insert.Transaction = transaction;
        try
        {
            var storedAt = DateTime.UtcNow.ToString("O");
            var saved = 0;
            var p = _insert.Parameters;
            foreach (var file in files)
            {
                p[0].Value = file.File;
                p[1].Value = file.Hash;
                p[2].Value = file.Bytes;
                p[3].Value = file.Lines;
                p[4].Value = file.Words;
                p[5].Value = file.Text;
                p[6].Value = storedAt;
                saved += _insert.ExecuteNonQuery();
            }

            transaction.Commit(); // not reached on a failure: disposing the transaction rolls the group back
            return saved;
        }
        finally
        {
            _insert.Transaction = null;
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _insert.Dispose();
        _connection.Dispose();
    }
}
