using System.Runtime.Serialization;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Serialization;
using Xunit.Abstractions;

namespace XStateNet.Actors.Tests.Serialization;

/// <summary>
/// Thousands of random and mutated messages (valid machine events and other messages with bytes flipped, cut,
/// spliced, lengths made huge, runs repeated or dropped, and plain noise) fed to <see cref="HyperionSerializer.FromBinary"/>:
/// each reads as something or fails with a <see cref="SerializationException"/>; none crashes the process, hangs,
/// or makes a huge allocation. The run is reproducible: the seed is printed, and XSTATENET_FUZZ_SEED and
/// XSTATENET_FUZZ_INPUTS choose another seed and count.
/// </summary>
public sealed class HyperionFuzzSpecs(ITestOutputHelper output) : TestKit(XStateNetConfig.Default, "fuzz")
{
    private static readonly TimeSpan PerInput = TimeSpan.FromSeconds(10);
    private const long AllocationBound = 64L * 1024 * 1024;

    private static readonly int[] HugeLengths = [0x7FFFFFF0, int.MaxValue, -1, int.MinValue, 0x10000000, 0x00FFFFFF, 65_536];
    private static readonly byte[] InterestingBytes = [0, 1, 4, 7, 8, 9, 0x7F, 0x80, 250, 251, 253, 254, 255];

    private IEnumerable<object> Seeds() =>
    [
        new MachineEvent("GO"),
        new MachineEvent("E", 42) { SourceMachineId = "source" },
        new MachineEvent("E", "a short string"),
        new MachineEvent("E", new string('x', 400)),
        new MachineEvent("E", 12.5m),
        new MachineEvent("E", new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc)),
        new MachineEvent("E", Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e")),
        new MachineEvent("E", new byte[] { 1, 2, 3, 4, 5 }),
        new MachineEvent("PLACE", new Order(7, [new OrderLine("apple", 3, 0.5m), new OrderLine("pear", 1, 2m)])),
        PortablePayloadOf(new MachineEvent("PROCESS", new { File = "a.txt", Size = 3, Meta = new { Encoding = "utf-8" }, Tags = new[] { new { Name = "t" } } })),
        new MachineEvent("E", new Dictionary<string, object?> { ["n"] = 1, ["list"] = new List<object?> { "a", null, 2.5 }, ["nested"] = new Dictionary<string, object?> { ["deep"] = true } }),
        new MachineEvent("E", new List<object> { new List<object> { new List<object> { 1 } } }),
        new MachineEvent("E", new HashSet<string> { "x", "y" }),
        new MachineEvent("E", Tuple.Create(1, "one")),
        new MachineEvent("E", new ReplyTo(TestActor, "hello")),
        new MachineSnapshot("m", ["a", "a.b"], false, new Dictionary<string, object?> { ["count"] = 2 }),
        new SaveRequest("path", 3),
        new List<object> { 1, "two", 3.0, (byte)255, 1_000_000 },
        new object[] { "a", 1, null! },
    ];

    // Anonymous payloads cross as dictionaries: the seed is what goes on the wire.
    private static MachineEvent PortablePayloadOf(MachineEvent machineEvent) => machineEvent;

    [Fact]
    public void Random_and_mutated_messages_read_or_fail_with_a_serialization_error_never_worse() =>
        Fuzz(HyperionSettings.Default, seedOffset: 0, defaultInputs: 3000);

    [Fact]
    public void With_an_allow_list_too() =>
        Fuzz(HyperionSettings.Default with { AllowedTypes = [typeof(Order).FullName!, typeof(OrderLine).FullName!, typeof(SaveRequest).FullName!, typeof(ReplyTo).FullName!] },
            seedOffset: 1, defaultInputs: 1000);

    private void Fuzz(HyperionSettings settings, int seedOffset, int defaultInputs)
    {
        var seed = (int.TryParse(Environment.GetEnvironmentVariable("XSTATENET_FUZZ_SEED"), out var s) ? s : 13_2026) + seedOffset;
        var inputs = int.TryParse(Environment.GetEnvironmentVariable("XSTATENET_FUZZ_INPUTS"), out var n) ? n : defaultInputs;
        output.WriteLine($"fuzz seed {seed}, {inputs} inputs");
        var random = new Random(seed);
        var writer = new HyperionSerializer((ExtendedActorSystem)Sys, HyperionSettings.Default);
        var serializer = new HyperionSerializer((ExtendedActorSystem)Sys, settings);
        var seeds = Seeds().Select(writer.ToBinary).ToArray();
        foreach (var bytes in seeds) Assert.NotNull(serializer.FromBinary(bytes, null));

        var (read, refused) = (0, 0);
        var errorKinds = new Dictionary<string, int>();
        for (var i = 0; i < inputs; i++)
        {
            var input = Mutate(random, seeds);
            var (outcome, allocated, failure) = ReadBounded(serializer, input);
            var where = $"input {i} (seed {seed}): {Convert.ToHexString(input.AsSpan(0, Math.Min(input.Length, 256)))}";
            Assert.True(failure is null or SerializationException, $"{where}\nfailed with {failure}");
            Assert.True(outcome != "hang", $"{where}\ndid not finish within {PerInput}");
            Assert.True(allocated < AllocationBound, $"{where}\nallocated {allocated} bytes");
            if (failure is null)
            {
                read++;
            }
            else
            {
                refused++;
                var kind = failure.Message.Split(':')[0];
                kind = kind.Length > 70 ? kind[..70] : kind;
                errorKinds[kind] = errorKinds.GetValueOrDefault(kind) + 1;
                Assert.Contains("Hyperion", failure.Message);
            }
        }
        output.WriteLine($"read {read}, refused {refused}");
        foreach (var (kind, count) in errorKinds.OrderByDescending(pair => pair.Value)) output.WriteLine($"  {count,5} {kind}");
        // The serializer still reads ordinary messages afterwards.
        Assert.Equal("GO", ((MachineEvent)serializer.FromBinary(seeds[0], null)).Name);
    }

    // Reads on a thread-pool thread (the stack Akka reads on), bounded in time, counting that thread's allocations.
    private static (string Outcome, long Allocated, Exception? Failure) ReadBounded(HyperionSerializer serializer, byte[] input)
    {
        var task = Task.Run(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                serializer.FromBinary(input, null);
                return ("read", GC.GetAllocatedBytesForCurrentThread() - before, (Exception?)null);
            }
            catch (Exception error)
            {
                return ("error", GC.GetAllocatedBytesForCurrentThread() - before, error);
            }
        });
        return task.Wait(PerInput) ? task.Result : ("hang", 0, null);
    }

    private static byte[] Mutate(Random random, byte[][] seeds)
    {
        var bytes = seeds[random.Next(seeds.Length)].ToArray();
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations; m++) bytes = MutateOnce(random, bytes, seeds);
        return bytes;
    }

    private static byte[] MutateOnce(Random random, byte[] bytes, byte[][] seeds)
    {
        if (bytes.Length == 0) return [(byte)random.Next(256)];
        var at = random.Next(bytes.Length);
        switch (random.Next(9))
        {
            case 0: // flip bits
                for (var i = random.Next(1, 9); i > 0; i--) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1: // a byte a parser branches on
                bytes[at] = InterestingBytes[random.Next(InterestingBytes.Length)];
                return bytes;
            case 2: // truncate
                return bytes[..at];
            case 3: // splice the head of one message onto the tail of another
                var other = seeds[random.Next(seeds.Length)];
                return [.. bytes[..at], .. other[random.Next(other.Length)..]];
            case 4: // a huge or negative length or count anywhere
                if (bytes.Length < 4) return bytes;
                at = random.Next(bytes.Length - 3);
                BitConverter.GetBytes(HugeLengths[random.Next(HugeLengths.Length)]).CopyTo(bytes, at);
                return bytes;
            case 5: // repeat a run
                var length = random.Next(1, Math.Min(64, bytes.Length - at) + 1);
                return [.. bytes[..(at + length)], .. bytes[at..(at + length)], .. bytes[(at + length)..]];
            case 6: // drop a run
                var drop = random.Next(1, Math.Min(32, bytes.Length - at) + 1);
                return [.. bytes[..at], .. bytes[(at + drop)..]];
            case 7: // noise after a manifest byte
                var noise = new byte[random.Next(0, 200)];
                random.NextBytes(noise);
                return [InterestingBytes[random.Next(InterestingBytes.Length)], .. noise];
            default: // random bytes in place
                var run = random.Next(1, Math.Min(16, bytes.Length - at) + 1);
                random.NextBytes(bytes.AsSpan(at, run));
                return bytes;
        }
    }
}
