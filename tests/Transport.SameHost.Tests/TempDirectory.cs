namespace XStateNet.Actors.Transport.SameHost.Tests;

/// <summary>A control-socket directory of its own under /dev/shm (one simulated host), removed with its contents afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        var root = Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        Path = System.IO.Path.Combine(root, "xsn-samehost-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>A file prefix unique to this directory (the test's segments are named after it).</summary>
    public string Prefix => System.IO.Path.GetFileName(Path);

    public string[] Files() => Directory.GetFiles(Path);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
