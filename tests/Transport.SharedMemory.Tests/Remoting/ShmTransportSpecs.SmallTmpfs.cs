using System.Diagnostics;
using Google.Protobuf;
using XStateNet.Actors.Transport.SharedMemory.Ring;
using Xunit.Abstractions;

namespace XStateNet.Actors.Transport.SharedMemory.Tests.Remoting;

/// <summary>
/// A small or full tmpfs (Docker's default /dev/shm is 64 MiB) must not crash a node with SIGBUS (issue 13, item 6).
/// Each test mounts a 1 MiB tmpfs of its own; they need root, and say so when it cannot be mounted.
/// </summary>
public sealed partial class ShmTransportSpecs
{
    [Fact]
    public void Allocating_more_than_a_file_system_holds_fails_at_once_with_no_space_and_the_size_asked()
    {
        using var tmpfs = SmallTmpfs.TryMount(out var why);
        if (tmpfs is null)
        {
            Console.WriteLine($"not run: {why}");
            return;
        }

        using var file = new FileStream(Path.Combine(tmpfs.Path, "big"), FileMode.CreateNew, FileAccess.ReadWrite);
        file.SetLength(8 << 20); // sparse: this alone succeeds, and the first write past 1 MiB would be a SIGBUS
        var error = Assert.Throws<IOException>(() =>
            SealedMemory.Allocate((int)file.SafeFileHandle.DangerousGetHandle(), 8 << 20, "a segment in " + tmpfs.Path));
        Assert.Contains($"No shared memory available for a segment in {tmpfs.Path}: the kernel could not allocate 8388608 bytes", error.Message);
    }

    [Fact]
    public async Task Rings_larger_than_a_small_tmpfs_directory_carry_all_their_traffic_without_a_crash()
    {
        using var tmpfs = SmallTmpfs.TryMount(out var why);
        if (tmpfs is null)
        {
            Console.WriteLine($"not run: {why}");
            return;
        }

        // Two 4 MiB rings per association in a 1 MiB directory: segment files there would have died of SIGBUS at the
        // first write past 1 MiB. Segments are memfds allocated up front; only the control sockets live in the directory.
        var settings = $"directory = \"{tmpfs.Path}\", ring-size = 4 MiB";
        var (a, aAddress, aInbound) = await Start(settings);
        var (b, _, _) = await Start(settings);
        try
        {
            var outbound = await b.Associate(aAddress);
            var inbound = await aInbound.Next();
            var collector = new Collector();
            inbound.ReadHandlerSource.SetResult(collector);

            var payload = ByteString.CopyFrom(new byte[16 * 1024]);
            const int count = 1024; // 16 MiB: every page of the 4 MiB ring, four times over
            for (var i = 0; i < count; i++)
            {
                while (!outbound.Write(payload)) await Task.Delay(1);
            }

            await collector.WaitForCount(count);
        }
        finally
        {
            // Their control sockets are bound in the tmpfs: it cannot be unmounted while they listen.
            await a.Shutdown();
            await b.Shutdown();
        }
    }

    /// <summary>A 1 MiB tmpfs mounted on a fresh directory; unmounted and removed on dispose.</summary>
    private sealed class SmallTmpfs : IDisposable
    {
        private SmallTmpfs(string path) => Path = path;

        public string Path { get; }

        public static SmallTmpfs? TryMount(out string why)
        {
            var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "xsn-tmpfs-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(path);
            var (code, output) = Run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", path);
            if (code == 0)
            {
                why = "";
                return new SmallTmpfs(path);
            }

            Directory.Delete(path);
            why = $"cannot mount a small tmpfs (root needed): {output.Trim()}";
            return null;
        }

        public void Dispose()
        {
            if (Run("umount", Path).Code != 0) Run("umount", "-l", Path); // detached now, freed when the last user lets go
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private static (int Code, string Output) Run(string program, params string[] arguments)
        {
            var info = new ProcessStartInfo(program, arguments) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            using var process = Process.Start(info)!;
            var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
    }
}
