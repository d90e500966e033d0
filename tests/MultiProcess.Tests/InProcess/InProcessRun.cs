namespace XStateNet.Actors.MultiProcess.Tests.InProcess;

/// <summary>
/// The unique file prefix of one in-process spec, so its pipes and sockets are its own, and the check that none is left
/// once its actor systems are down.
/// </summary>
internal sealed class InProcessRun
{
    private static readonly string[] Directories = [Path.GetTempPath(), "/dev/shm"];

    /// <summary>The value of the transports' <c>file-prefix</c>, e.g. <c>xmpi1a2b3c4d</c>.</summary>
    public string FilePrefix { get; } = $"xmpi{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Removes what is left under the prefix and fails, naming it, if there was anything.</summary>
    /// <exception cref="InvalidOperationException">Files were left behind.</exception>
    public void RemoveAndCheck()
    {
        var left = Directories.Where(Directory.Exists).SelectMany(directory => Directory.EnumerateFileSystemEntries(directory, FilePrefix + "*")).ToList();
        foreach (var path in left)
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            else File.Delete(path);
        }
        if (left.Count > 0) throw new InvalidOperationException($"the spec left files behind: {string.Join(", ", left)}");
    }
}
