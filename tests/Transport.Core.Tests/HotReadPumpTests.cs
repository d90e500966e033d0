using System.Collections.Concurrent;

namespace XStateNet.Actors.Transport.Tests;

public sealed class HotReadPumpTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Messages_that_keep_coming_are_read_on_pool_threads_until_the_window_passes_without_one()
    {
        var reader = new ScriptedReader(messagesPerPoll: [1, 0, 0, 2, 0, 1]);
        // A window far longer than a pool thread's pause between two polls on a loaded CI machine (50 ms once was not:
        // the pump handed back after the first message); the test then lasts about a second.
        var pump = Pump(reader, TimeSpan.FromSeconds(1));

        await Task.Run(pump.RunHot).WaitAsync(Generous);

        Assert.Equal(4, reader.Delivered);
        Assert.True(reader.Polls > 6, $"after the last message the pump should keep polling for the window; polled {reader.Polls} times");
        Assert.All(reader.PollThreads, onPool => Assert.True(onPool, "every poll runs on a thread-pool thread"));

        // Handed back means nothing polls any more: an idle connection costs no CPU.
        var polls = reader.Polls;
        await Task.Delay(100);
        Assert.Equal(polls, reader.Polls);
    }

    [Fact]
    public async Task The_connection_thread_gets_the_reading_back_at_once_when_the_reader_asks_for_it()
    {
        var reader = new ScriptedReader(messagesPerPoll: [1]) { HandBackAfterPolls = 3 };
        var pump = Pump(reader, TimeSpan.FromMinutes(10));

        await Task.Run(pump.RunHot).WaitAsync(Generous);

        Assert.Equal(3, reader.Polls);
    }

    [Fact]
    public async Task What_reading_throws_on_the_pool_is_rethrown_on_the_connection_thread()
    {
        var reader = new ScriptedReader(messagesPerPoll: [1, 0]) { ThrowOnPoll = 2 };
        var pump = Pump(reader, TimeSpan.FromMinutes(10));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Task.Run(pump.RunHot).WaitAsync(Generous));

        Assert.Equal("corrupt record", error.Message);
    }

    [Fact]
    public async Task The_pump_can_be_run_again_after_it_handed_back()
    {
        var reader = new ScriptedReader(messagesPerPoll: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3]);
        var pump = Pump(reader, TimeSpan.FromTicks(1));

        await Task.Run(pump.RunHot).WaitAsync(Generous);
        var firstRun = reader.Polls;
        await Task.Run(pump.RunHot).WaitAsync(Generous);

        Assert.True(reader.Polls > firstRun);
    }

    [Fact]
    public async Task When_no_pool_thread_picks_the_pump_up_the_connection_thread_takes_the_reading_back()
    {
        var reader = new ScriptedReader(messagesPerPoll: [1]);
        var stranded = new ConcurrentQueue<IThreadPoolWorkItem>();
        var pump = new HotReadPump(reader, TimeSpan.FromMinutes(10), stranded.Enqueue, TimeSpan.FromMilliseconds(50));

        await Task.Run(pump.RunHot).WaitAsync(Generous);

        // The item that never ran does nothing when it finally does: the connection's thread reads again by now.
        Assert.True(stranded.TryDequeue(out var late));
        late.Execute();
        Assert.Equal(0, reader.Polls);
    }

    [Fact]
    public void A_reader_that_already_asks_to_hand_back_is_not_pumped()
    {
        var reader = new ScriptedReader(messagesPerPoll: [1]) { HandBackAfterPolls = 0 };
        var pump = Pump(reader, TimeSpan.FromMinutes(10));

        pump.RunHot();

        Assert.Equal(0, reader.Polls);
    }

    [Fact]
    public void A_zero_window_turns_the_pump_off()
    {
        var reader = new ScriptedReader(messagesPerPoll: [1]);
        var pump = new HotReadPump(reader, TimeSpan.Zero);

        pump.RunHot();

        Assert.False(pump.Enabled);
        Assert.Equal(0, reader.Polls);
    }

    // Other test classes run in parallel and keep the pool busy: the pumps here wait for it as long as it takes.
    private static HotReadPump Pump(IPollableReader reader, TimeSpan window) =>
        new(reader, window, static pump => ThreadPool.UnsafeQueueUserWorkItem(pump, preferLocal: false), Generous);

    /// <summary>Delivers the scripted number of messages per poll (then none), and records where each poll ran.</summary>
    private sealed class ScriptedReader(int[] messagesPerPoll) : IPollableReader
    {
        private int _polls;

        public int Polls => Volatile.Read(ref _polls);

        public int Delivered { get; private set; }

        public ConcurrentQueue<bool> PollThreads { get; } = new();

        public int HandBackAfterPolls { get; init; } = int.MaxValue;

        public int ThrowOnPoll { get; init; } = int.MaxValue;

        public bool HandBack => Polls >= HandBackAfterPolls;

        public int ReadAvailable()
        {
            var poll = Interlocked.Increment(ref _polls);
            PollThreads.Enqueue(Thread.CurrentThread.IsThreadPoolThread);
            if (poll == ThrowOnPoll) throw new InvalidDataException("corrupt record");
            var messages = messagesPerPoll[Math.Min(poll - 1, messagesPerPoll.Length - 1)];
            if (poll > messagesPerPoll.Length) messages = 0;
            Delivered += messages;
            return messages;
        }
    }
}
