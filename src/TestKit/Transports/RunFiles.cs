namespace XStateNet.Actors.TestKit.Transports;

/// <summary>Finding and removing the files of one run (a killed node cannot remove its own pipe or socket).</summary>
internal static class RunFiles
{
    /// <summary>Removes a file or directory; what cannot be removed is reported by the leftover check that follows.</summary>
    public static void Delete(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            else File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Entries of <paramref name="directory"/> whose names start with any of <paramref name="prefixes"/>.</summary>
    public static IReadOnlyList<string> EntriesStartingWith(string directory, params string[] prefixes) =>
        Directory.Exists(directory)
            ? prefixes.SelectMany(prefix => Directory.EnumerateFileSystemEntries(directory, prefix + "*")).ToList()
            : [];
}
