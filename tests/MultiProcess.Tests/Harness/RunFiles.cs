namespace XStateNet.Actors.MultiProcess.Tests.Harness;

/// <summary>Finds and removes what a run's nodes left in the file system (a killed node cannot remove its own pipe or segment).</summary>
internal static class RunFiles
{
    public static void Delete(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            else File.Delete(path);
        }
        catch (IOException)
        {
            // reported by the leftover check that follows
        }
        catch (UnauthorizedAccessException)
        {
            // reported by the leftover check that follows
        }
    }

    /// <summary>Entries of <paramref name="directory"/> whose names start with any of <paramref name="prefixes"/>.</summary>
    public static IReadOnlyList<string> EntriesStartingWith(string directory, params string[] prefixes) =>
        Directory.Exists(directory)
            ? prefixes.SelectMany(prefix => Directory.EnumerateFileSystemEntries(directory, prefix + "*")).ToList()
            : [];
}
