namespace XStateNet.Actors.Samples.Pipeline.Stages;

/// <summary>The files to ingest: every entry under the folder, recursively, in ordinal order.</summary>
internal static class InputFolder
{
    /// <summary>
    /// Nothing is skipped (no attributes filtered, inaccessible entries not ignored), so an unreadable file is
    /// reported by whoever reads it rather than silently missing.
    /// </summary>
    public static List<string> List(string folder) =>
        Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false })
            .Order(StringComparer.Ordinal).ToList();
}
