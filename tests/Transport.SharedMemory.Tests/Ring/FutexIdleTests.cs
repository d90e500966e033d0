using System.Diagnostics;
using XStateNet.Actors.Transport.SharedMemory.Ring;
using XStateNet.Actors.Tests.Shared;

namespace XStateNet.Actors.Transport.SharedMemory.Tests.Ring;

/// <summary>An idle reader sleeps on the futex without burning CPU, and a write wakes it.</summary>
public sealed class FutexIdleTests : IDisposable
{
    private readonly TempShmDirectory _dir = new();

    [Fact]
    public async Task A_sleeping_reader_uses_almost_no_cpu_and_wakes_on_the_next_write()
    {
        Assert.True(Futex.IsSupported, "this machine should have futex (Linux x64/arm64)");
        using var creator = TestSegments.Create(4096);
        using var acceptor = TestSegments.OpenAsPeer(creator);
        var writer = creator.CreateWriter();
        var reader = acceptor.CreateReader();
        var idler = new RingIdler(ShmIdleStrategy.Futex, 200, 20, 60_000);
        TimeSpan cpu = default;
        var sleeping = new TaskCompletionSource();

        var thread = new Thread(() =>
        {
            var before = CurrentThreadCpu();
            sleeping.SetResult();
            idler.Idle(reader, () => false);
            cpu = CurrentThreadCpu() - before;
        });
        thread.Start();
        await sleeping.Task;
        await Task.Delay(700);
        Assert.True(thread.IsAlive, "the reader must still be waiting: nothing was written");

        Assert.True(writer.TryWrite([1, 2, 3]));
        Assert.True(thread.Join(TimeSpan.FromSeconds(5)), "the write must wake the reader");
        Assert.True(reader.HasData);
        // A spinning reader would have used ~700 ms; the spin and yield phases cost well under a millisecond.
        Assert.True(cpu < TimeSpan.FromMilliseconds(50), $"idle reader used {cpu.TotalMilliseconds} ms of CPU");
    }

    private static TimeSpan CurrentThreadCpu()
    {
        // /proc/thread-self/stat fields 14 and 15: user and system time of the calling thread, in clock ticks (1/100 s).
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    public void Dispose() => _dir.Dispose();
}
