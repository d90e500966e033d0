using XStateNet.Actors.Transport.SharedMemory.Ring;
using XStateNet.Actors.Tests.Shared;

namespace XStateNet.Actors.Transport.SharedMemory.Tests.Ring;

/// <summary>
/// A writer thread and a reader thread on one small ring: random record sizes (seeded) wrap around the ring many
/// times; every byte of every record is checked, and records arrive complete, once and in order.
/// </summary>
public sealed class RingPropertyTests : IDisposable
{
    private readonly TempShmDirectory _dir = new();

    [Theory]
    [InlineData(1, 4096, 200)]
    [InlineData(2, 16384, 3000)]
    [InlineData(3, 65536, 20000)]
    public async Task Random_sized_records_cross_wrap_around_intact_and_in_order(int seed, long capacity, int maxSize)
    {
        const int count = 30_000;
        using var creator = TestSegments.Create(capacity);
        using var acceptor = TestSegments.OpenAsPeer(creator);
        var writer = creator.CreateWriter();
        var reader = acceptor.CreateReader();
        var maxPayload = (int)Math.Min(maxSize, writer.MaxPayload);
        var sizes = new Random(seed);
        var lengths = Enumerable.Range(0, count).Select(_ => sizes.Next(0, maxPayload + 1)).ToArray();

        var writing = Task.Run(() =>
        {
            var buffer = new byte[maxPayload];
            var full = 0;
            for (var i = 0; i < count; i++)
            {
                var payload = buffer.AsSpan(0, lengths[i]);
                Fill(payload, i);
                while (!writer.TryWrite(payload))
                {
                    full++;
                    Thread.SpinWait(10);
                }
            }

            return full;
        });
        var checker = new Checker(lengths);
        var idler = new RingIdler(ShmIdleStrategy.Futex, 50, 5, 100);
        var reading = Task.Run(() =>
        {
            while (checker.Seen < count)
            {
                if (reader.Drain(checker, 64) == 0) idler.Idle(reader, () => false);
            }
        });

        var timesFull = await writing.WaitAsync(TimeSpan.FromSeconds(60));
        await reading.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(count, checker.Seen);
        Assert.Null(checker.Failure);
        Assert.False(reader.HasData);
        Assert.True(timesFull > 0 || capacity > 16384, "a small ring should have pushed back at least once");
    }

    private static void Fill(Span<byte> payload, int sequence)
    {
        for (var i = 0; i < payload.Length; i++) payload[i] = Pattern(sequence, i);
    }

    private static byte Pattern(int sequence, int index) => (byte)(sequence * 31 + index * 7 + (index >> 8));

    private sealed class Checker(int[] lengths) : IRingRecordHandler
    {
        public int Seen { get; private set; }

        public string? Failure { get; private set; }

        public void OnRecord(ReadOnlySpan<byte> payload)
        {
            var sequence = Seen++;
            if (Failure is not null) return;
            if (sequence >= lengths.Length)
            {
                Failure = $"record {sequence} was never written";
                return;
            }

            if (payload.Length != lengths[sequence])
            {
                Failure = $"record {sequence}: {payload.Length} bytes, expected {lengths[sequence]}";
                return;
            }

            for (var i = 0; i < payload.Length; i++)
            {
                if (payload[i] != Pattern(sequence, i))
                {
                    Failure = $"record {sequence}: byte {i} is {payload[i]}, expected {Pattern(sequence, i)}";
                    return;
                }
            }
        }
    }

    public void Dispose() => _dir.Dispose();
}
