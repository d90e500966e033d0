using System.Runtime.InteropServices;

namespace XStateNet.Actors.Transport.SharedMemory;

/// <summary>What kind of file a path names and who owns it, without following a symbolic link and without opening it.</summary>
/// <remarks>
/// Opening a FIFO blocks until somebody opens its other end: anything found in a shared directory is looked at with
/// <c>statx</c> (whose result layout is the same on every architecture) before it is touched.
/// </remarks>
internal static unsafe partial class UnixFileStatus
{
    public const int TypeMask = 0xF000;
    public const int Socket = 0xC000;
    public const int Regular = 0x8000;

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const uint StatxUid = 0x8;

    /// <summary>The file type bits (<c>S_IFMT</c>) and owner of <paramref name="path"/>, or null when it cannot be looked at.</summary>
    public static (int Type, uint Owner)? Of(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var buffer = stackalloc byte[256]; // struct statx
        if (statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType | StatxUid, buffer) != 0) return null;
        var uid = *(uint*)(buffer + 20);
        var mode = *(ushort*)(buffer + 28);
        return (mode & TypeMask, uid);
    }

    /// <summary>A word for the file type bits, for messages.</summary>
    public static string Describe(int type) => type switch
    {
        Socket => "socket",
        Regular => "regular file",
        0x1000 => "FIFO",
        0x2000 => "character device",
        0x6000 => "block device",
        0x4000 => "directory",
        0xA000 => "symbolic link",
        _ => $"file of type 0x{type:X}",
    };

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int directory, string path, int flags, uint mask, byte* buffer);
}
