using System.Runtime.InteropServices;

namespace XStateNet.Actors.Transport.Pipes.Naming;

/// <summary>What kind of file a path names, without following a symbolic link and without opening it.</summary>
internal enum PipeFileKind
{
    Missing,
    Socket,
    Fifo,
    Regular,
    Directory,
    SymbolicLink,
    Other,
}

/// <summary>
/// Looks at a file in the pipe directory before anything opens or connects to it: anyone who may write there can
/// put a FIFO, a regular file or a directory where one of our sockets or lock files belongs, and opening a FIFO or
/// connecting to a socket whose listener never accepts can block. <c>statx</c> with <c>AT_SYMLINK_NOFOLLOW</c>
/// (an <c>lstat</c> whose layout is the same on every architecture) tells the type and owner without touching it.
/// </summary>
internal static unsafe partial class PipeFile
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const uint StatxMode = 0x2;
    private const uint StatxUid = 0x8;
    private const int NoEntry = 2;
    private const int NotDirectory = 20;

    /// <summary>The kind of file at <paramref name="path"/> and its owner's user id (null where the platform cannot say).</summary>
    /// <exception cref="IOException">The path cannot be looked at (for instance a directory on the way is not searchable).</exception>
    public static (PipeFileKind Kind, uint? Owner) Inspect(string path)
    {
        if (!OperatingSystem.IsLinux()) return InspectPortably(path);
        var buffer = stackalloc byte[256]; // struct statx is 256 bytes
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType | StatxMode | StatxUid, buffer) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (error is NoEntry or NotDirectory) return (PipeFileKind.Missing, null);
            throw new IOException($"cannot look at '{path}': {Marshal.GetPInvokeErrorMessage(error)} (errno {error})");
        }

        var uid = *(uint*)(buffer + 20);   // stx_uid
        var mode = *(ushort*)(buffer + 28); // stx_mode
        var kind = (mode & 0xF000) switch
        {
            0xC000 => PipeFileKind.Socket,
            0x1000 => PipeFileKind.Fifo,
            0x8000 => PipeFileKind.Regular,
            0x4000 => PipeFileKind.Directory,
            0xA000 => PipeFileKind.SymbolicLink,
            _ => PipeFileKind.Other,
        };
        return (kind, uid);
    }

    /// <summary>How <paramref name="kind"/> reads in a log line.</summary>
    public static string Describe(PipeFileKind kind) => kind switch
    {
        PipeFileKind.Fifo => "a FIFO",
        PipeFileKind.Regular => "a regular file",
        PipeFileKind.Directory => "a directory",
        PipeFileKind.SymbolicLink => "a symbolic link",
        PipeFileKind.Socket => "a socket",
        PipeFileKind.Missing => "missing",
        _ => "a device or other special file",
    };

    private static (PipeFileKind, uint?) InspectPortably(string path)
    {
        if (Directory.Exists(path)) return (PipeFileKind.Directory, null);
        // Elsewhere a socket cannot be told from a file this way: whatever exists may be a socket.
        return File.Exists(path) ? (PipeFileKind.Socket, null) : (PipeFileKind.Missing, null);
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);
}
