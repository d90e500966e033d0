using System.Runtime.InteropServices;

namespace XStateNet.Actors.Transport.SharedMemory.Ring;

/// <summary>
/// Linux futex on a 32-bit word inside the shared mapping: a sleeping reader costs nothing until a writer in any
/// process wakes it. Shared (not FUTEX_PRIVATE) because the word is in memory mapped by two processes.
/// </summary>
internal static unsafe partial class Futex
{
    private const int FutexWait = 0;
    private const int FutexWake = 1;

    private static readonly long SyscallNumber = !OperatingSystem.IsLinux() ? -1 : RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 202,
        Architecture.Arm64 => 98,
        _ => -1,
    };

    /// <summary>Whether this platform has the futex system call (Linux on x86-64 or arm64).</summary>
    public static bool IsSupported => SyscallNumber > 0;

    /// <summary>
    /// Sleeps while <c>*word == expected</c>, at most <paramref name="timeoutMs"/>. Returns at once when the word
    /// already differs: that check and the sleep are one atomic step in the kernel, which is what prevents a lost wake-up.
    /// </summary>
    public static void Wait(int* word, int expected, int timeoutMs)
    {
        var timeout = new Timespec { Seconds = timeoutMs / 1000, Nanoseconds = (timeoutMs % 1000) * 1_000_000L };
        _ = Syscall(SyscallNumber, word, FutexWait, expected, &timeout, null, 0);
    }

    /// <summary>Wakes every thread sleeping on <paramref name="word"/>, in any process.</summary>
    public static void Wake(int* word) => _ = Syscall(SyscallNumber, word, FutexWake, int.MaxValue, null, null, 0);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "syscall")]
    private static partial long Syscall(long number, int* word, int operation, int value, Timespec* timeout, int* word2, int value3);
}
