using Akka.Configuration;

namespace XStateNet.Actors.Discovery;

/// <summary>
/// The host directory's folder and its files. One file per node (<c>node-&lt;pid&gt;-&lt;hash&gt;.json</c>), written
/// only by its node: written whole to a temporary file created 0600, then renamed over the old one. A rename
/// replaces a file atomically, so a reader sees the old file or the new one, never half of one, and a writer
/// killed mid-write leaves only a temporary file that readers ignore and the next writer removes. Changes that must
/// see the other nodes' files first (claiming an id) hold <c>.lock</c>, an advisory lock the kernel drops when its
/// holder dies, so a killed writer never blocks the directory.
/// </summary>
internal sealed class DirectoryFolder
{
    public const string NodePrefix = "node-";
    public const string NodeSuffix = ".json";
    private const string TempSuffix = ".tmp";
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private DirectoryFolder(string path) => Path = path;

    public string Path { get; }

    /// <summary>Opens the folder, creating it owner-only (0700) if missing.</summary>
    /// <exception cref="ConfigurationException">It is unusable: not a folder, a symbolic link, open to others, or not ours to write; named by <c>xstatenet.directory.path</c>.</exception>
    public static DirectoryFolder Open(string path)
    {
        var where = $"{DirectorySettings.Section}.path = \"{path}\"";
        try
        {
            if (File.Exists(path)) throw new ConfigurationException($"{where}: is a file, not a folder");
            var info = new DirectoryInfo(path);
            if (!info.Exists)
            {
                info = OperatingSystem.IsWindows() ? System.IO.Directory.CreateDirectory(path) : System.IO.Directory.CreateDirectory(path, OwnerOnlyFolder);
            }
            if (info.LinkTarget is not null) throw new ConfigurationException($"{where}: is a symbolic link; give the real folder");
            if (!OperatingSystem.IsWindows() && (info.UnixFileMode & ~OwnerOnlyFolder) != 0)
                throw new ConfigurationException(
                    $"{where}: is open to other users (mode {Convert.ToString((int)info.UnixFileMode, 8)}); it tells which process runs which machine, so it must be owner-only: chmod 700 it or choose another path");
            var folder = new DirectoryFolder(path);
            using (folder.Lock(TimeSpan.FromSeconds(5))) { } // proves we may create files there
            return folder;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"{where}: cannot be used ({e.Message}); it must be a folder this user owns and may write", e);
        }
    }

    /// <summary>The file of the node with <paramref name="pid"/> and <paramref name="address"/>.</summary>
    public string NodeFile(int pid, string address)
    {
        // FNV-1a: a stable short name per address (string.GetHashCode differs per process).
        var hash = 14695981039346656037UL;
        foreach (var c in address) hash = (hash ^ c) * 1099511628211UL;
        return System.IO.Path.Combine(Path, $"{NodePrefix}{pid}-{hash:x16}{NodeSuffix}");
    }

    /// <summary>The node files, at most <paramref name="limit"/> (the rest are reported by the caller).</summary>
    public List<string> NodeFiles(int limit, out bool truncated)
    {
        var files = new List<string>();
        truncated = false;
        foreach (var file in System.IO.Directory.EnumerateFiles(Path, NodePrefix + "*" + NodeSuffix))
        {
            if (files.Count == limit)
            {
                truncated = true;
                break;
            }
            files.Add(file);
        }
        return files;
    }

    /// <summary>Temporary files left by writers that died mid-write (or are writing right now: only old ones are removed).</summary>
    public IEnumerable<string> StaleTempFiles(TimeSpan olderThan) =>
        System.IO.Directory.EnumerateFiles(Path, "*" + TempSuffix)
            .Where(file => DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > olderThan);

    /// <summary>The bytes of a file, refusing one larger than <paramref name="maxSize"/> before reading it.</summary>
    /// <exception cref="InvalidDataException">Too large, or not a regular file.</exception>
    /// <exception cref="FileNotFoundException">It went away (its node stopped).</exception>
    public static byte[] ReadBounded(string file, long maxSize)
    {
        var info = new FileInfo(file);
        if (info.LinkTarget is not null) throw new InvalidDataException("a symbolic link, not a node file");
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length > maxSize) throw new InvalidDataException($"{stream.Length} bytes, more than {maxSize} (xstatenet.directory.max-file-size)");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Writes <paramref name="bytes"/> as <paramref name="file"/>: a new 0600 temporary file, then a rename over it.</summary>
    public void WriteAtomically(string file, byte[] bytes)
    {
        var temp = $"{file}.{Guid.NewGuid():N}{TempSuffix}";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnlyFile; // created 0600, never wider for a moment
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, file, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Moves the file's time forward: the heartbeat. False when the file is gone (then it must be written again).</summary>
    public static bool Touch(string file)
    {
        try
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow);
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    public static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone already, or not ours: the next writer tries again.
        }
    }

    /// <summary>Takes <c>.lock</c>, retrying until <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">Another live node held it all that time.</exception>
    public IDisposable Lock(TimeSpan timeout)
    {
        var file = System.IO.Path.Combine(Path, ".lock");
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnlyFile;
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive flock on Unix: per open file, released by the kernel when the holder dies.
                return new FileStream(file, options);
            }
            catch (IOException) when (DateTime.UtcNow < deadline && File.Exists(file))
            {
                Thread.Sleep(5);
            }
            catch (IOException e) when (File.Exists(file))
            {
                throw new TimeoutException($"{file} stayed locked for {timeout.TotalSeconds:0.###} s (xstatenet.directory.lock-timeout)", e);
            }
        }
    }
}
