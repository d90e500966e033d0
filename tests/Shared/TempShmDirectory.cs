namespace XStateNet.Actors.Tests.Shared;

/// <summary>
/// A directory of its own under /dev/shm (the temp folder where there is none) for one test or one simulated host,
/// removed with everything in it afterwards. Its name, unique per instance, doubles as the file prefix of what the
/// test creates in it.
/// </summary>
public sealed class TempShmDirectory : IDisposable
{
    /// <summary>Creates the directory, named <paramref name="namePrefix"/> and 12 random hex digits.</summary>
    public TempShmDirectory(string namePrefix = "xsn-test-")
    {
        var root = Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        Path = System.IO.Path.Combine(root, namePrefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>A file prefix unique to this directory (the directory's own name).</summary>
    public string Prefix => System.IO.Path.GetFileName(Path);

    public string File(string name) => System.IO.Path.Combine(Path, name);

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
