namespace XStateNet.Actors.Transport.Pipes.Tests.Support;

/// <summary>A pipe directory of the test's own under the temporary directory, removed with everything in it on dispose.</summary>
internal sealed class TestPipeDirectory : IDisposable
{
    public TestPipeDirectory()
    {
        // Short: a Unix socket path is limited to about 100 bytes.
        Path = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "xsnt-" + Guid.NewGuid().ToString("N")[..8])).FullName;
    }

    public string Path { get; }

    /// <summary>Lets every user in (for a test that connects as another user); the directory is the test's alone.</summary>
    public void OpenToEveryone() => Chmod(Path, 0x1FF); // 0777

    /// <summary>Sets a file's permission bits (Unix only; a no-op elsewhere).</summary>
    public static void Chmod(string path, int mode)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)mode);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
