using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace XStateNet.Actors.Samples.Pipeline.Stages;

/// <summary>
/// Reads one input file whole with as few system calls as .NET allows: for a file that fits in one chunk (64 KiB),
/// <c>openat</c>, the <c>fstat</c> .NET does on every open, one <c>pread</c>, <c>close</c>.
/// </summary>
/// <remarks>
/// <see cref="File.ReadAllBytes(string)"/> makes seven (it also takes and drops an advisory <c>flock</c> and asks
/// <c>fstat</c> for the size a second time), and a separate <see cref="FileInfo.Length"/> for the size check was one
/// more <c>stat</c>. The lock protects nothing here: it only keeps out other .NET processes opening the file for
/// writing, any other writer ignores it, and what the pipeline stores is the content it read and hashed, whatever
/// happens to the file afterwards. So the sample turns it off for the process (<c>System.IO.DisableFileLocking</c> in
/// its csproj). The size needs no call of its own either: one read into a pooled chunk returns it, and a file that
/// fills the chunk is read on until its end or the limit.
/// </remarks>
internal static class FileReader
{
    private const int ChunkSize = 64 * 1024;

    /// <summary>The file's content, or why the pipeline refuses it (unreadable, over <paramref name="maxFileSize"/>).</summary>
    public static bool TryRead(string path, long maxFileSize, out byte[] content, out string problem)
    {
        content = [];
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var read = Fill(handle, chunk, 0);
            var wholeFile = read < chunk.Length;
            if (wholeFile && read <= maxFileSize)
            {
                content = chunk.AsSpan(0, read).ToArray();
                problem = "";
                return true;
            }
            if (wholeFile || !TryReadRest(handle, chunk, maxFileSize, out content))
            {
                problem = OverLimit(handle, wholeFile ? read : null, maxFileSize);
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
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>A file larger than one chunk: on to its end, unless it passes the limit first.</summary>
    private static bool TryReadRest(SafeFileHandle handle, byte[] chunk, long maxFileSize, out byte[] content)
    {
        using var whole = new MemoryStream();
        whole.Write(chunk);
        content = [];
        while (whole.Length <= maxFileSize)
        {
            var read = Fill(handle, chunk, whole.Length);
            whole.Write(chunk, 0, read);
            if (read < chunk.Length) break; // end of file
        }
        if (whole.Length > maxFileSize) return false;
        content = whole.ToArray();
        return true;
    }

    /// <summary>
    /// Reads until the buffer is full or the file ends. A regular file returns less than asked only at its end, so a
    /// short read ends it: asking again just to hear "0 bytes" would be one more system call per file.
    /// </summary>
    private static int Fill(SafeFileHandle handle, byte[] buffer, long offset)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var wanted = buffer.Length - filled;
            var n = RandomAccess.Read(handle, buffer.AsSpan(filled), offset + filled);
            filled += n;
            if (n < wanted) break;
        }
        return filled;
    }

    /// <summary>
    /// The refusal, with the size: what was read when the file fit in the chunk, else what fstat says (procfs and
    /// pipes say 0, and a file may have grown meanwhile: then only that it is over).
    /// </summary>
    private static string OverLimit(SafeFileHandle handle, long? wholeFileRead, long maxFileSize)
    {
        var size = wholeFileRead ?? RandomAccess.GetLength(handle);
        return size > maxFileSize
            ? $"{size:N0} bytes is over the {maxFileSize:N0}-byte limit"
            : $"more than {maxFileSize:N0} bytes, over the limit";
    }
}
