using System.Text;

namespace XStateNet.Actors.Samples.Pipeline.Launching;

/// <summary>
/// The demo's input folder: text files of pseudo-random words (the same every run for the same count and size),
/// plus three the pipeline must refuse and report: one it cannot read, one over the size limit, one not UTF-8.
/// </summary>
internal static class DemoInput
{
    public const string TooLarge = "bad-too-large.txt";
    public const string NotUtf8 = "bad-not-utf8.txt";
    public const string Unreadable = "bad-unreadable.txt";

    private static readonly string[] Words =
    [
        "state", "machine", "actor", "event", "transition", "guard", "action", "context", "ingester", "processor",
        "storage", "pipeline", "message", "process", "memory", "ring", "pipe", "frame", "address", "route",
    ];

    /// <summary>Writes <paramref name="files"/> good files of about <paramref name="size"/> bytes and the bad ones; returns how many good ones.</summary>
    public static int Generate(string folder, int files, int size, long maxFileSize)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        var random = new Random(7); // seeded: the same input every run
        var width = Math.Max(5, files.ToString().Length);
        var text = new StringBuilder(size + 16);
        for (var i = 0; i < files; i++)
        {
            text.Clear();
            while (text.Length < size)
            {
                text.Append(Words[random.Next(Words.Length)]);
                text.Append(random.Next(8) == 0 ? '\n' : ' ');
            }
            text.Length = size;
            File.WriteAllText(Path.Combine(folder, $"file-{i.ToString().PadLeft(width, '0')}.txt"), text.ToString());
        }

        File.WriteAllBytes(Path.Combine(folder, TooLarge), Enumerable.Repeat((byte)'x', checked((int)maxFileSize + 1)).ToArray());
        File.WriteAllBytes(Path.Combine(folder, NotUtf8), [.. "caf"u8, 0xE9, .. " au lait (Latin-1, not UTF-8)\n"u8]);
        MakeUnreadable(Path.Combine(folder, Unreadable));
        return files;
    }

    /// <summary>
    /// A file nobody may read, where permissions say so; root reads anything, so there it is a symbolic link to
    /// itself, which no one can open either.
    /// </summary>
    private static void MakeUnreadable(string path)
    {
        if (!OperatingSystem.IsWindows() && !Environment.IsPrivilegedProcess)
        {
            File.WriteAllText(path, "secret\n");
            File.SetUnixFileMode(path, UnixFileMode.None);
            return;
        }
        if (!OperatingSystem.IsWindows())
        {
            File.CreateSymbolicLink(path, path);
        }
        // Windows: no portable way to make a file unreadable for its owner; the demo shows the other two.
    }
}
