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
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
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

    /// <summary>Saves a file; false when it was already there (same path, same content).</summary>
    public bool Save(string path, string hash, long bytes, int lines, int words, string content)
    {
        var p = _insert.Parameters;
        p[0].Value = path;
        p[1].Value = hash;
        p[2].Value = bytes;
        p[3].Value = lines;
        p[4].Value = words;
        p[5].Value = content;
        p[6].Value = DateTime.UtcNow.ToString("O");
        return _insert.ExecuteNonQuery() == 1;
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
