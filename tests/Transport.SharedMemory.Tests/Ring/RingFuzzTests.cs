using XStateNet.Actors.Transport.SharedMemory.Ring;

namespace XStateNet.Actors.Transport.SharedMemory.Tests.Ring;

/// <summary>
/// A peer writes random and mutated records and positions into the rings it shares with us (issue 13, item 9): the
/// reader delivers only what lies inside the validated ring or stops with a clear <see cref="InvalidDataException"/>;
/// the writer never writes outside its ring; opening refuses impossible positions. No crash, no hang.
/// </summary>
public sealed class RingFuzzTests
{
    private const long Capacity = 4096;

    [Fact]
    public void Random_and_mutated_records_are_delivered_within_the_ring_or_refused_clearly()
    {
        var random = new Random(9);
        var refusals = 0;
        var delivered = 0;
        using var creator = TestSegments.Create(Capacity);
        for (var round = 0; round < 3000; round++)
        {
            // The last round's reader handed back what it consumed: start each round at position 0 again.
            TestSegments.Patch(creator.Descriptor, SegmentLayout.ControlOffset(0) + SegmentLayout.ConsumerPositionOffset, new byte[8]);
            using var acceptor = TestSegments.OpenAsPeer(creator);
            var ring = new byte[Capacity];
            if (round % 2 == 0)
            {
                random.NextBytes(ring);
            }
            else
            {
                WriteValidRecords(random, ring);
                Mutate(random, ring);
            }

            TestSegments.Patch(creator.Descriptor, SegmentLayout.HeaderBytes, ring); // ring 0: creator -> acceptor
            var reader = acceptor.CreateReader();
            var handler = new BoundsChecker();
            try
            {
                // Bounded work: each call consumes at least one record or returns 0; a ring holds at most 512 records.
                for (var call = 0; call < 1000 && reader.Drain(handler, 64) > 0; call++)
                {
                }
            }
            catch (InvalidDataException e)
            {
                Assert.StartsWith("Corrupt ring record at position", e.Message);
                refusals++;
            }

            delivered += handler.Count;
        }

        Assert.True(refusals > 1000, $"{refusals} refusals");
        Assert.True(delivered > 0, "no mutated ring delivered anything");
    }

    [Fact]
    public void A_writer_facing_a_hostile_consumer_position_stays_inside_its_ring()
    {
        var random = new Random(10);
        using var creator = TestSegments.Create(Capacity);
        using var acceptor = TestSegments.OpenAsPeer(creator);
        var writer = creator.CreateWriter();
        var consumer = SegmentLayout.ControlOffset(0) + SegmentLayout.ConsumerPositionOffset;
        long[] extremes = [long.MaxValue, long.MinValue, -1, 0, 1, Capacity * 1000, -Capacity];
        for (var i = 0; i < 3000; i++)
        {
            var position = i % 3 == 0 ? extremes[random.Next(extremes.Length)] : random.NextInt64(long.MinValue, long.MaxValue);
            TestSegments.Patch(creator.Descriptor, consumer, BitConverter.GetBytes(position));
            writer.TryWrite(new byte[random.Next(0, (int)writer.MaxPayload / 2)]);
        }

        // The header (before ring 0) and ring 1 are untouched by ring 0's writer, whatever the peer claimed.
        Assert.Equal(SegmentLayout.Magic, BitConverter.ToUInt64(Read(creator, 0, 8)));
        Assert.All(Read(creator, SegmentLayout.HeaderBytes + Capacity, (int)Capacity), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Random_positions_in_a_header_are_refused_or_accepted_at_open_and_then_never_read_again()
    {
        var random = new Random(11);
        using var creator = TestSegments.Create(Capacity);
        var refused = 0;
        for (var i = 0; i < 2000; i++)
        {
            var ring = random.Next(2);
            var control = SegmentLayout.ControlOffset(ring);
            var producer = i % 2 == 0 ? random.NextInt64(-16, 2 * Capacity) / 8 * 8 : random.NextInt64(long.MinValue, long.MaxValue);
            var consumer = i % 2 == 0 ? random.NextInt64(-16, 2 * Capacity) / 8 * 8 : random.NextInt64(long.MinValue, long.MaxValue);
            TestSegments.Patch(creator.Descriptor, control + SegmentLayout.ProducerPositionOffset, BitConverter.GetBytes(producer));
            TestSegments.Patch(creator.Descriptor, control + SegmentLayout.ConsumerPositionOffset, BitConverter.GetBytes(consumer));
            try
            {
                using var acceptor = TestSegments.OpenAsPeer(creator);
                var reader = acceptor.CreateReader();
                // Positions change after validation: the reader keeps its own.
                TestSegments.Patch(creator.Descriptor, SegmentLayout.ControlOffset(0) + SegmentLayout.ConsumerPositionOffset,
                    BitConverter.GetBytes(random.NextInt64()));
                try
                {
                    reader.Drain(new BoundsChecker(), 64);
                }
                catch (InvalidDataException)
                {
                }

                _ = reader.HasData;
            }
            catch (SegmentFormatException e)
            {
                Assert.Contains("impossible positions in ring", e.Message);
                refused++;
            }

            TestSegments.Patch(creator.Descriptor, control + SegmentLayout.ProducerPositionOffset, new byte[8]);
            TestSegments.Patch(creator.Descriptor, control + SegmentLayout.ConsumerPositionOffset, new byte[8]);
        }

        Assert.True(refused > 500, $"{refused} refused");
    }

    private static void WriteValidRecords(Random random, byte[] ring)
    {
        var at = 0;
        while (at < ring.Length - 8)
        {
            var payload = random.Next(0, 200);
            var frame = SegmentLayout.RecordHeaderBytes + payload;
            var aligned = SegmentLayout.Align(frame);
            if (at + aligned > ring.Length) break;
            BitConverter.TryWriteBytes(ring.AsSpan(at), frame);
            BitConverter.TryWriteBytes(ring.AsSpan(at + 4), random.Next(10) == 0 ? SegmentLayout.PaddingKind : SegmentLayout.MessageKind);
            random.NextBytes(ring.AsSpan(at + 8, payload));
            at += aligned;
        }
    }

    private static void Mutate(Random random, byte[] ring)
    {
        int[] extremes = [0x7FFFFFF0, int.MaxValue, int.MinValue, -1, 0, 1, 7, 4096, 4095, 4089];
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            var at = random.Next(0, ring.Length / 4) * 4;
            if (random.Next(2) == 0) BitConverter.TryWriteBytes(ring.AsSpan(at), extremes[random.Next(extremes.Length)]);
            else ring[at + random.Next(4)] ^= (byte)(1 << random.Next(8));
        }
    }

    private static byte[] Read(SharedSegment segment, long offset, int count)
    {
        using var stream = new FileStream($"/proc/self/fd/{segment.Descriptor}", FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Position = offset;
        var bytes = new byte[count];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private sealed class BoundsChecker : IRingRecordHandler
    {
        public int Count { get; private set; }

        public void OnRecord(ReadOnlySpan<byte> payload)
        {
            Assert.InRange(payload.Length, 0, (int)SegmentLayout.MaxPayload(Capacity));
            var sum = 0;
            foreach (var b in payload) sum += b; // touches every byte it was given
            Count += sum >= 0 ? 1 : 0;
        }
    }
}
