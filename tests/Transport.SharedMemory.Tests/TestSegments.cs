using System.Runtime.InteropServices;
using XStateNet.Actors.Transport.SharedMemory.Ring;

namespace XStateNet.Actors.Transport.SharedMemory.Tests;

/// <summary>Segments for tests: created and opened in this one process, patched through <c>/proc/self/fd</c>.</summary>
internal static partial class TestSegments
{
    /// <summary>A segment with a name of its own (so that <see cref="Mapped"/> finds only it).</summary>
    public static SharedSegment Create(long capacity, string? name = null) =>
        SharedSegment.Create(name ?? UniqueName(), capacity);

    /// <summary>Opens <paramref name="creator"/>'s segment the way a listening node does.</summary>
    public static SharedSegment OpenAsPeer(SharedSegment creator) =>
        SharedSegment.Open(Environment.ProcessId, creator.Descriptor, "test");

    public static string UniqueName() => "xsn-test-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Writes <paramref name="bytes"/> at <paramref name="offset"/> of the file behind this process's descriptor <paramref name="fd"/>.</summary>
    public static void Patch(int fd, long offset, byte[] bytes)
    {
        using var stream = new FileStream($"/proc/self/fd/{fd}", FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        stream.Position = offset;
        stream.Write(bytes);
    }

    /// <summary>The lines of /proc/self/maps that map a memfd whose name starts with <paramref name="prefix"/>.</summary>
    public static string[] Mapped(string prefix) =>
        File.ReadAllLines("/proc/self/maps").Where(l => l.Contains("/memfd:" + prefix, StringComparison.Ordinal)).ToArray();

    /// <summary>A raw memfd of <paramref name="content"/> (as a hostile peer would hand over), sealed as asked.</summary>
    public static RawMemfd Raw(byte[] content, int seals) => new(content, seals);

    internal sealed class RawMemfd : IDisposable
    {
        public RawMemfd(byte[] content, int seals)
        {
            Descriptor = memfd_create("xsn-test-raw", 0x1 | 0x2);
            Assert.True(Descriptor >= 0, "memfd_create failed");
            Patch(Descriptor, 0, content);
            if (seals != 0) Assert.Equal(0, fcntl(Descriptor, 1033, seals));
        }

        public int Descriptor { get; }

        public void Dispose() => close(Descriptor);
    }

    /// <summary>ftruncate; returns 0 or the error number.</summary>
    public static int Truncate(int fd, long length) => ftruncate(fd, length) == 0 ? 0 : Marshal.GetLastPInvokeError();

    [LibraryImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    private static partial int ftruncate(int fd, long length);

    [LibraryImport("libc", EntryPoint = "memfd_create", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int memfd_create(string name, uint flags);

    [LibraryImport("libc", EntryPoint = "fcntl")]
    private static partial int fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int close(int fd);
}
