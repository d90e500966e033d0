using System.Buffers.Binary;
using Akka.Actor;
using XStateNet.Actors.Transport.Pipes.Framing;
using static XStateNet.Actors.Transport.Pipes.Tests.Framing.FrameReaderTests;

namespace XStateNet.Actors.Transport.Pipes.Tests.Framing;

/// <summary>
/// What a peer can send before and after its hello, random and mutated, against the frame reader and the hello
/// decoder in memory: each input is read to its end or refused with <see cref="FrameFormatException"/>; nothing else
/// is thrown, nothing hangs, and no length is believed beyond the limits.
/// </summary>
public sealed class FrameFuzzTests
{
    private const int Max = 64_000;
    private static readonly Address Sample = new("pipe", "Fuzz", "localhost", 20001);

    [Theory]
    [InlineData(0x7FFFFFF0, 2)]
    [InlineData(0x7FFFFFF0, 1)]
    [InlineData(0x7FFFFFF0, 3)]
    [InlineData(int.MaxValue, 2)]
    [InlineData(int.MinValue, 2)]
    [InlineData(Max + 1, 2)]
    public async Task A_length_near_or_past_the_int_range_is_a_clear_error_never_an_allocation(int length, byte kindByte)
    {
        var kind = (FrameKind)kindByte;
        var reader = new FrameReader(new MemoryStream(Header(kind, length)), Max, 4096);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = await Assert.ThrowsAsync<FrameFormatException>(async () => await reader.ReadAsync(default));

        Assert.Matches("exceeds|negative", error.Message);
        Assert.Contains(length.ToString(), error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000, "nothing of the announced size may be allocated");
    }

    [Fact]
    public async Task A_first_frame_that_is_not_a_hello_is_refused_from_its_header_alone()
    {
        // A payload header announcing the maximum, and nothing behind it: refused before anything is read or allocated.
        var reader = FrameReader.ForHello(new MemoryStream(Header(FrameKind.Payload, Max)), Max);

        var error = await Assert.ThrowsAsync<FrameFormatException>(async () => await reader.ReadHelloAsync(default));
        Assert.Contains("expected a hello frame first", error.Message);
    }

    [Fact]
    public void A_hello_with_an_impossible_frame_size_is_refused()
    {
        var body = new Hello(1, Sample, 64_000).Encode()[FrameHeader.Size..];
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(9), -5);
        var error = Assert.Throws<FrameFormatException>(() => Hello.Decode(new Frame(FrameKind.Hello, body), "pipe"));
        Assert.Contains("maximum frame size of -5", error.Message);
    }

    [Fact]
    public async Task Thousands_of_random_and_mutated_inputs_are_read_or_refused_with_a_FrameFormatException()
    {
        var random = new Random(13);
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < 4000; i++)
        {
            var input = NextInput(random, i);
            var outcome = await ReadAllAsync(input, chunk: 1 + random.Next(64));
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        // Both kinds of outcome occur: the generator makes good inputs as well as bad ones.
        Assert.True(outcomes.GetValueOrDefault("read") > 100, string.Join(", ", outcomes));
        Assert.True(outcomes.GetValueOrDefault("refused") > 100, string.Join(", ", outcomes));
    }

    [Fact]
    public void Thousands_of_random_and_mutated_hello_bodies_decode_or_are_refused_with_a_FrameFormatException()
    {
        var random = new Random(7);
        var decoded = 0;
        for (var i = 0; i < 4000; i++)
        {
            var body = Mutate(random, new Hello(random.Next(), Sample, 64_000).Encode()[FrameHeader.Size..], i % 4 == 0 ? 0 : 1 + random.Next(4));
            if (i % 7 == 0) body = RandomAddressBody(random);
            try
            {
                var hello = Hello.Decode(new Frame(FrameKind.Hello, body), "pipe");
                Assert.True(hello.MaximumFrameSize > 0);
                Assert.NotNull(hello.ListenAddress.Host);
                decoded++;
            }
            catch (FrameFormatException)
            {
            }
        }

        Assert.True(decoded > 100, $"only {decoded} decoded");
    }

    /// <summary>"read" when every frame up to the end was read, "refused" on a FrameFormatException; anything else fails.</summary>
    private static async Task<string> ReadAllAsync(byte[] input, int chunk)
    {
        var reader = FrameReader.ForHello(new ChunkedStream(input, chunk), Max);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            var first = await reader.ReadHelloAsync(timeout.Token);
            if (first.Kind == FrameKind.EndOfStream) return "read";
            Hello.Decode(first, "pipe");
            reader.Enlarge(4096);
            for (var frames = 0; frames < 10_000; frames++)
            {
                var frame = await reader.ReadAsync(timeout.Token);
                Assert.True(frame.Payload.Length <= Max);
                if (frame.Kind == FrameKind.EndOfStream) return "read";
            }

            Assert.Fail("more frames than bytes");
            return "";
        }
        catch (FrameFormatException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            return "refused";
        }
    }

    internal static byte[] NextInput(Random random, int i)
    {
        switch (i % 5)
        {
            case 0: // pure noise
                return RandomBytes(random, random.Next(0, 300));
            case 1: // noise behind a valid hello
                return Concat(new Hello(1, Sample, Max).Encode(), RandomBytes(random, random.Next(0, 300)));
            default: // a valid conversation with a few bytes flipped, cut or duplicated
                var frames = new List<byte[]> { new Hello(1, Sample, Max).Encode() };
                for (var f = random.Next(0, 8); f > 0; f--)
                    frames.Add(Frame((FrameKind)random.Next(1, 4), RandomBytes(random, random.Next(0, 2000))));
                return Mutate(random, Concat(frames.ToArray()), i % 5 == 2 ? 0 : 1 + random.Next(6));
        }
    }

    private static byte[] Mutate(Random random, byte[] input, int mutations)
    {
        var bytes = input.ToList();
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 3:
                    bytes.InsertRange(at, bytes.Skip(at).Take(random.Next(1, 16)).ToArray());
                    break;
                default:
                    // An interesting length where one is likely to be.
                    var value = new[] { 0x7FFFFFF0, int.MaxValue, -1, 0, Max, Max + 1, 1024, 1025 }[random.Next(8)];
                    var span = new byte[4];
                    BinaryPrimitives.WriteInt32LittleEndian(span, value);
                    for (var k = 0; k < 4 && at + k < bytes.Count; k++) bytes[at + k] = span[k];
                    break;
            }
        }

        return bytes.ToArray();
    }

    private static byte[] RandomAddressBody(Random random)
    {
        var addresses = new[]
        {
            "pipe://a@b:99999999999", "pipe://@:", "pipe://a@[::1", "pipe://a@b:-1", "pipe:///", "pipe://a@b:1/x?y#z",
            "\u0000pipe://a@b:1", "pipe://" + new string('x', 900) + "@h:1", "pipe://a@b:1:2", "akka.pipe://a@b:1",
        };
        var text = random.Next(3) == 0
            ? new string(Enumerable.Range(0, random.Next(40)).Select(_ => (char)random.Next(32, 127)).ToArray())
            : addresses[random.Next(addresses.Length)];
        var body = new Hello(1, Sample, Max).Encode()[FrameHeader.Size..][..13];
        return Concat(body, random.Next(4) == 0 ? RandomBytes(random, 20) : System.Text.Encoding.UTF8.GetBytes(text));
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
