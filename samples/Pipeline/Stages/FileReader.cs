using Microsoft.Win32.SafeHandles;

namespace XStateNet.Actors.Samples.Pipeline.Stages;

/// <summary>
/// Reads one input file whole, with as few system calls as .NET allows: open, fstat, one read, close.
/// </summary>
/// <remarks>
/// <see cref="File.ReadAllBytes(string)"/> also takes an advisory <c>flock</c> and asks for read-ahead
/// (<c>fadvise</c>), and a separate <see cref="FileInfo.Length"/> for the size check is one more <c>stat</c>. The
/// lock protects nothing here: it only excludes other .NET processes that open the file for writing, any other
/// writer ignores it, and what the pipeline stores is the content it read and hashed, whatever happens to the file
/// afterwards. So the sample turns it off for the process (<c>System.IO.DisableFileLocking</c> in its csproj), and
/// the size comes from the open handle (the fstat .NET does anyway), not a second lookup of the path.
/// </remarks>
internal static class FileReader
{
    /// <summary>The file's content, or why the pipeline refuses it (unreadable, over <paramref name="maxFileSize"/>).</summary>
    public static bool TryRead(string path, long maxFileSize, out byte[] content, out string problem)
    {
        content = [];
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var length = RandomAccess.GetLength(handle);
            if (length > maxFileSize)
            {
                problem = $"{length:N0} bytes is over the {maxFileSize:N0}-byte limit";
                return false;
            }
            // Files whose size the kernel does not know (procfs, some pipes) say 0: read those until end of file.
            content = length > 0 ? ReadKnownLength(handle, (int)length) : ReadToEnd(handle, maxFileSize);
            if (content.Length > maxFileSize)
            {
                problem = $"grew to more than {maxFileSize:N0} bytes while read, over the limit";
                return false;
            }
            problem = "";
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"unreadable: {e.Message}";
            return false;
        }
    }

    /// <summary>One read for the size fstat gave; a file cut short meanwhile gives what was there.</summary>
    private static byte[] ReadKnownLength(SafeFileHandle handle, int length)
    {
        var buffer = new byte[length];
        var read = 0;
        while (read < length)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(read), read);
            if (n == 0) return buffer[..read];
            read += n;
        }
        return buffer;
    }

    /// <summary>Reads until end of file, at most one byte past the limit (enough to know it is over).</summary>
    private static byte[] ReadToEnd(SafeFileHandle handle, long maxFileSize)
    {
        using var content = new MemoryStream();
        var chunk = new byte[16 * 1024];
        long offset = 0;
        while (offset <= maxFileSize)
        {
            var n = RandomAccess.Read(handle, chunk, offset);
            if (n == 0) break;
            content.Write(chunk, 0, n);
            offset += n;
        }
        return content.ToArray();
    }
}
