using System.Runtime.InteropServices;

namespace XStateNet.Actors.Transport.SharedMemory.Ring;

/// <summary>
/// Linux anonymous shared memory (<c>memfd_create</c>) sealed against resizing, and the few libc calls around it.
/// </summary>
/// <remarks>
/// <para>
/// A page of a mapped file that lies past the file's end raises SIGBUS on access, which .NET cannot catch: a peer
/// that could shrink a segment we map could kill us. A tmpfs file in a directory can be truncated by anyone who can
/// write it; a memfd sealed with <c>F_SEAL_SHRINK</c> can be shrunk by nobody, not even its creator, and the seal
/// can never be removed. The acceptor refuses a segment without that seal.
/// </para>
/// <para>
/// A memfd has no name in the file system: it lives while a descriptor or a mapping holds it, so a segment vanishes
/// with the last process that maps it, kill -9 included, and there is nothing to clean up.
/// </para>
/// </remarks>
internal static unsafe partial class SealedMemory
{
    public const int SealSeal = 0x1;
    public const int SealShrink = 0x2;
    public const int SealGrow = 0x4;

    /// <summary>The prefix of a memfd's link target in <c>/proc/&lt;pid&gt;/fd</c>.</summary>
    public const string LinkPrefix = "/memfd:";

    private const uint MfdCloexec = 0x1;
    private const uint MfdAllowSealing = 0x2;
    private const int FAddSeals = 1033;
    private const int FGetSeals = 1034;
    private const int ORdWr = 0x2;
    private const int ONoctty = 0x100;
    private const int ONonblock = 0x800;
    private const int OCloexec = 0x80000;
    private const int ProtRead = 0x1;
    private const int ProtWrite = 0x2;
    private const int MapShared = 0x1;
    private const int SeekEnd = 2;

    /// <summary>
    /// A new memfd of <paramref name="length"/> bytes, its memory allocated now (so that running out of memory is an
    /// error here, not a SIGBUS on a later write), sealed against shrinking, growing and further seals.
    /// </summary>
    /// <exception cref="IOException">No shared memory is available for that size, or the kernel refused.</exception>
    public static int Create(string name, long length)
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("The shared-memory transport needs Linux (memfd_create, sealed segments).");
        var fd = memfd_create(name, MfdCloexec | MfdAllowSealing);
        if (fd < 0) throw Failure($"memfd_create(\"{name}\")");
        try
        {
            if (ftruncate(fd, length) != 0) throw Failure($"sizing shared memory segment {name} to {length} bytes");
            Allocate(fd, length, $"a {length}-byte segment ({name})");
            if (fcntl(fd, FAddSeals, SealShrink | SealGrow | SealSeal) != 0) throw Failure($"sealing shared memory segment {name}");
            return fd;
        }
        catch
        {
            close(fd);
            throw;
        }
    }

    /// <summary>Allocates the first <paramref name="length"/> bytes of <paramref name="fd"/>'s file now.</summary>
    /// <exception cref="IOException">"No shared memory available for &lt;what&gt;" when memory (or the file system) is full.</exception>
    public static void Allocate(int fd, long length, string what)
    {
        // posix_fallocate returns the error number instead of setting errno.
        var error = posix_fallocate(fd, 0, length);
        if (error == 0) return;
        throw new IOException(error is 28 /* ENOSPC */ or 12 /* ENOMEM */ or 27 /* EFBIG */
            ? $"No shared memory available for {what}: the kernel could not allocate {length} bytes ({Marshal.GetPInvokeErrorMessage(error)})."
            : $"Allocating {length} bytes for {what} failed: {Marshal.GetPInvokeErrorMessage(error)}.");
    }

    /// <summary>Opens, read-write and without blocking, the file another process holds as <paramref name="fd"/>.</summary>
    /// <returns>The new descriptor, or -1 with the reason in <paramref name="error"/>.</returns>
    public static int OpenPeerDescriptor(int pid, int fd, out string? error)
    {
        var path = $"/proc/{pid}/fd/{fd}";
        var opened = open(path, ORdWr | ONoctty | ONonblock | OCloexec);
        error = opened < 0 ? $"cannot open {path}: {Marshal.GetLastPInvokeErrorMessage()}" : null;
        return opened;
    }

    /// <summary>What <c>/proc/&lt;pid&gt;/fd/&lt;fd&gt;</c> points at, or null when that descriptor is not open (or not ours to see).</summary>
    public static string? DescribePeerDescriptor(int pid, int fd)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/fd/{fd}").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The seals of <paramref name="fd"/>; 0 for a file that cannot be sealed (anything but a memfd).</summary>
    public static int Seals(int fd)
    {
        var seals = fcntl(fd, FGetSeals, 0);
        return seals < 0 ? 0 : seals;
    }

    /// <summary>The size of <paramref name="fd"/>'s file.</summary>
    public static long Size(int fd)
    {
        var size = lseek(fd, 0, SeekEnd);
        return size >= 0 ? size : throw Failure("reading a segment's size");
    }

    /// <summary>Copies up to <paramref name="buffer"/>.Length bytes from the start of the file (not through a mapping).</summary>
    public static int ReadStart(int fd, Span<byte> buffer)
    {
        fixed (byte* bytes = buffer)
        {
            var read = pread(fd, bytes, (nuint)buffer.Length, 0);
            return read >= 0 ? (int)read : throw Failure("reading a segment's header");
        }
    }

    public static byte* Map(int fd, long length)
    {
        var address = mmap(null, (nuint)length, ProtRead | ProtWrite, MapShared, fd, 0);
        return address == (void*)-1 ? throw Failure($"mapping a {length}-byte segment") : (byte*)address;
    }

    public static void Unmap(byte* address, long length) => _ = munmap(address, (nuint)length);

    public static void Close(int fd) => _ = close(fd);

    private static IOException Failure(string what) => new($"{what} failed: {Marshal.GetLastPInvokeErrorMessage()}");

    [LibraryImport("libc", EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int memfd_create(string name, uint flags);

    [LibraryImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    private static partial int ftruncate(int fd, long length);

    [LibraryImport("libc", EntryPoint = "posix_fallocate")]
    private static partial int posix_fallocate(int fd, long offset, long length);

    // fcntl is variadic; one int argument is passed like a fixed one on Linux x86-64 and arm64.
    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static partial long lseek(int fd, long offset, int whence);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    private static partial nint pread(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial void* mmap(void* address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int munmap(void* address, nuint length);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int close(int fd);
}
