namespace XStateNet.Actors.Samples.Pipeline.Tests;

/// <summary>A folder of its own for one test, removed with everything in it (database included) on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"xstatenet-pipeline-test-{Guid.NewGuid():N}");

    public string this[string name] => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A stage killed a moment ago may still hold the database open; the OS temp cleaner gets the rest.
        }
    }
}
