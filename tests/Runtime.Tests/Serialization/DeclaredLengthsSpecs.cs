using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Serialization;

namespace XStateNet.Actors.Tests.Serialization;

/// <summary>
/// A small message that declares a length or count far larger than its bytes (a string, a type name, a byte
/// array, a list, a dictionary, an array of 2 billion) is refused before Hyperion allocates for it.
/// </summary>
public sealed class DeclaredLengthsSpecs() : TestKit(XStateNetConfig.Default, "declared-lengths")
{
    private const int Huge = 0x7FFFFFF0;

    private HyperionSerializer Serializer() => new((ExtendedActorSystem)Sys, HyperionSettings.Default);

    // The message with the four bytes after the first occurrence of `marker` (plus `skip` bytes) set to `value`.
    private static byte[] Declaring(byte[] bytes, byte[] marker, int skip, int value)
    {
        var at = bytes.AsSpan().IndexOf(marker);
        Assert.True(at >= 0, "marker not found");
        var copy = bytes.ToArray();
        BitConverter.GetBytes(value).CopyTo(copy, at + marker.Length + skip);
        return copy;
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    public static TheoryData<string> Cases =>
        ["long string", "type name", "field name", "byte array", "list count", "dictionary count", "array length", "set count", "string array length", "long array length"];

    private byte[] HugeDeclaration(string which)
    {
        var writer = Serializer();
        return which switch
        {
            "long string" => Declaring(writer.ToBinary(new MachineEvent("E", new string('x', 300))), [0xFF, 0x2C, 0x01, 0, 0], -4, Huge),
            "type name" => Declaring(writer.ToBinary(new MachineEvent("E")), [0xFB], 0, Huge),
            "field name" => Declaring(writer.ToBinary(new MachineEvent("E")), Ascii("XStateNet.Actors.Runtime"), 1, Huge),
            "byte array" => Declaring(writer.ToBinary(new MachineEvent("E", new byte[] { 1, 2, 3 })), [9, 3, 0, 0, 0], -4, Huge),
            "list count" => Declaring(writer.ToBinary(new List<object> { 1 }), Ascii("_version"), 0, Huge),
            "dictionary count" => Declaring(writer.ToBinary(new Dictionary<string, object> { ["k"] = 1 }), [1, 0, 0, 0, 0xFB], -5, Huge),
            "array length" => Declaring(writer.ToBinary(new object[] { "a" }), Ascii("CoreLib,%core%"), 1, Huge),
            "set count" => Declaring(writer.ToBinary(new HashSet<object> { 1 }), Ascii("_version"), 0, Huge),
            // An array of primitives or strings: manifest 252, the elements' manifest (7 string, 2 long), the count.
            "string array length" => Declaring(writer.ToBinary(new MachineEvent("E", new[] { "a", "b" })), [252, 7], 0, Huge),
            "long array length" => Declaring(writer.ToBinary(new MachineEvent("E", new[] { 1L, 2L })), [252, 2], 0, 0x10000000),
            _ => throw new ArgumentOutOfRangeException(nameof(which)),
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_length_or_count_larger_than_the_message_is_refused_before_allocating(string which)
    {
        var payload = HugeDeclaration(which);
        var serializer = Serializer();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<SerializationException>(() => serializer.FromBinary(payload, null));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("declares a length or count of ", error.Message);
        Assert.True(allocated < 16 * 1024 * 1024, $"reading allocated {allocated} bytes");
    }

    [Fact]
    public void The_same_messages_with_their_true_lengths_round_trip()
    {
        var serializer = Serializer();
        Assert.Equal(new string('x', 300), ((MachineEvent)serializer.FromBinary(serializer.ToBinary(new MachineEvent("E", new string('x', 300))), null)).Data);
        Assert.Equal(new byte[] { 1, 2, 3 }, ((MachineEvent)serializer.FromBinary(serializer.ToBinary(new MachineEvent("E", new byte[] { 1, 2, 3 })), null)).Data);
        Assert.Equal(new List<object> { 1 }, serializer.FromBinary(serializer.ToBinary(new List<object> { 1 }), null));
        Assert.Equal(new object[] { "a" }, serializer.FromBinary(serializer.ToBinary(new object[] { "a" }), null));
        // Values that look like large lengths are data, not lengths: a byte 255 then a large int, strings of 4 bytes.
        var tricky = new List<object>
        {
            (byte)255, 1_000_000_000, (byte)251, int.MaxValue, (byte)254, "four", (byte)9, -1, new string('y', 255), 2_000_000_000,
            (byte)252, 1_000_000_000, (sbyte)-4, int.MaxValue, (byte)4, (byte)252, (byte)8, 1_500_000_000, true, 2_000_000_000,
            new sbyte[] { -4, 8, -1, -5, 9, 1 }, new[] { "abcd", new string('z', 251), new string('w', 300), "" }, new[] { int.MaxValue, -1 },
            new[] { DateTime.UnixEpoch }, new[] { 1.5m }, new[] { Guid.Empty }, new[] { 'x' }, new[] { true, false },
        };
        Assert.Equal(tricky, serializer.FromBinary(serializer.ToBinary(tricky), null));
        var record = new Wide((byte)255, int.MaxValue, "abcd", new Dictionary<string, object> { ["abcd"] = (byte)251, ["n"] = int.MaxValue });
        var back = (Wide)serializer.FromBinary(serializer.ToBinary(record), null);
        Assert.Equal(record.B, back.B);
        Assert.Equal(record.C, back.C);
        Assert.Equal(int.MaxValue, back.D["n"]);
    }

    [Fact]
    public void A_list_whose_elements_are_missing_is_refused_without_looping_over_its_count()
    {
        var serializer = Serializer();
        var bytes = serializer.ToBinary(Enumerable.Range(0, 50).Cast<object>().ToList());
        var cut = bytes[..(bytes.Length - 100)];

        var error = Assert.Throws<SerializationException>(() => serializer.FromBinary(cut, null));
        Assert.Contains("ends in the middle of a value", error.Message);
    }
}

/// <summary>A record whose fields are read one after the other: a byte, an int, a 4-byte string, a dictionary.</summary>
public sealed record Wide(byte B, int A, string C, Dictionary<string, object> D);
