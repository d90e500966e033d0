using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Serialization;

namespace XStateNet.Actors.Tests.Serialization;

/// <summary>
/// <c>max-depth</c> and <c>max-objects</c>: a message nested 30,000 deep (about 210 KB of System types) used to
/// overflow the stack in Hyperion's reader and kill the node; it is refused with an error naming the setting, and
/// messages as deep as the limit still read. Reads run on threads with the 1.5 MiB stack of the thread-pool
/// threads Akka reads messages on, so a guard that let the stack grow too far would fail here as it would there.
/// </summary>
public sealed class ReadLimitsSpecs() : TestKit(XStateNetConfig.Default, "read-limits")
{
    private const int DispatcherStackKib = 1536;
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(90);

    private HyperionSerializer Serializer(HyperionSettings? settings = null) =>
        new((ExtendedActorSystem)Sys, settings ?? HyperionSettings.Default);

    private static object Nest(Func<object, object> wrap, object leaf, int depth)
    {
        var value = leaf;
        for (var i = 0; i < depth; i++) value = wrap(value);
        return value;
    }

    private byte[] NestedLists(int depth) =>
        DeepPayload.Build(Serializer().ToBinary, value => new List<object> { value }, 1, depth);

    // A list nested `depth` deep whose innermost value is a manifest byte Hyperion does not know: it throws there,
    // at the bottom, and its exception climbs back through every level.
    private byte[] NestedListsOverCorruptLeaf(int depth)
    {
        var bytes = NestedLists(depth);
        // The innermost value is the int 1: its manifest (8) and four bytes end the message.
        Assert.Equal(new byte[] { 8, 1, 0, 0, 0 }, bytes[^5..]);
        return [.. bytes[..^5], 30];
    }

    internal static T OnDispatcherSizedThread<T>(Func<T> read)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = read();
            }
            catch (Exception caught)
            {
                error = caught;
            }
        }, DispatcherStackKib * 1024);
        thread.Start();
        thread.Join();
        if (error is not null) throw error;
        return result;
    }

    [Fact]
    public void A_list_nested_30000_deep_is_refused_in_a_child_process_which_survives_it()
    {
        var payload = NestedLists(30_000);
        Assert.InRange(payload.Length, 200_000, 220_000);

        var (exitCode, output) = ChildProgram.Run(payload, DispatcherStackKib, ChildTimeout);

        Assert.True(exitCode == 0, $"the child died (exit code {exitCode}): {output}");
        Assert.Contains("REFUSED SerializationException", output);
        Assert.Contains($"{HyperionSettings.Section}.max-depth = 128", output);
    }

    [Theory]
    [InlineData(40)] // read on the caller's thread
    [InlineData(400)] // deeper than the caller's thread may go: read on a thread of its own
    public void A_corrupt_value_under_a_deep_message_is_an_error_in_a_child_process_not_a_crash(int depth)
    {
        var (exitCode, output) = ChildProgram.Run(NestedListsOverCorruptLeaf(depth), DispatcherStackKib, ChildTimeout);

        Assert.True(exitCode == 0, $"the child died (exit code {exitCode}): {output}");
        Assert.Contains("REFUSED SerializationException", output);
        Assert.Contains("corrupt", output);
    }

    [Theory]
    [InlineData(40)]
    [InlineData(400)]
    public void A_refused_type_under_a_deep_message_is_refused_in_a_child_process_not_a_crash(int depth)
    {
        var name = System.Text.Encoding.UTF8.GetBytes("Microsoft.Win32.SafeHandles.SafeFileHandle, System.Private.CoreLib");
        var bytes = NestedLists(depth);
        byte[] payload = [.. bytes[..^5], 0xFB, .. BitConverter.GetBytes(name.Length), .. name, 0];

        var (exitCode, output) = ChildProgram.Run(payload, DispatcherStackKib, ChildTimeout);

        Assert.True(exitCode == 0, $"the child died (exit code {exitCode}): {output}");
        Assert.Contains("REFUSED SerializationException", output);
        Assert.Contains("SafeFileHandle", output);
    }

    [Fact]
    public void A_list_nested_30000_deep_is_refused_with_an_error_naming_the_setting()
    {
        var payload = NestedLists(30_000);
        var serializer = Serializer();

        var error = Assert.Throws<SerializationException>(() => OnDispatcherSizedThread(() => serializer.FromBinary(payload, null)));

        Assert.Contains($"nested deeper than 128 levels ({HyperionSettings.Section}.max-depth = 128)", error.Message);
        // And the serializer goes on reading.
        Assert.Equal(new List<int> { 1, 2 }, OnDispatcherSizedThread(() => serializer.FromBinary(serializer.ToBinary(new List<int> { 1, 2 }), null)));
    }

    public static TheoryData<string> Shapes => ["list", "array", "dictionary", "set", "record", "tuple", "machine event"];

    private static Func<object, object> Wrap(string shape) => shape switch
    {
        "list" => value => new List<object> { value },
        "array" => value => new object[] { value },
        "dictionary" => value => new Dictionary<string, object> { ["inner"] = value },
        "set" => value => new HashSet<object> { value },
        "record" => value => new Node(value),
        "tuple" => value => Tuple.Create(value),
        "machine event" => value => new MachineEvent("E", value) { SourceMachineId = "m" },
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    private static object? Unwrap(object value) => value switch
    {
        List<object> list => list[0],
        object[] array => array[0],
        Dictionary<string, object> dictionary => dictionary["inner"],
        HashSet<object> set => set.Single(),
        Node node => node.Next,
        Tuple<object> tuple => tuple.Item1,
        MachineEvent machineEvent => machineEvent.Data,
        _ => null,
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Messages_as_deep_as_max_depth_still_round_trip(string shape)
    {
        var serializer = Serializer();
        var bytes = serializer.ToBinary(Nest(Wrap(shape), "leaf", HyperionSettings.DefaultMaxDepth));

        var back = OnDispatcherSizedThread(() => serializer.FromBinary(bytes, null));

        var depth = 0;
        object? value = back;
        for (; value is not null and not string; value = Unwrap(value)) depth++;
        Assert.Equal(HyperionSettings.DefaultMaxDepth, depth);
        Assert.Equal("leaf", value);
    }

    [Fact]
    public void A_smaller_max_depth_refuses_sooner_and_still_reads_up_to_it()
    {
        var serializer = Serializer(HyperionSettings.Default with { MaxDepth = 16 });

        Assert.NotNull(serializer.FromBinary(serializer.ToBinary(Nest(Wrap("list"), 1, 16)), null));
        var error = Assert.Throws<SerializationException>(() => serializer.FromBinary(NestedLists(2_000), null));
        Assert.Contains($"{HyperionSettings.Section}.max-depth = 16", error.Message);
    }

    [Fact]
    public void A_message_with_more_objects_than_max_objects_is_refused_with_an_error_naming_it()
    {
        var serializer = Serializer(HyperionSettings.Default with { MaxObjects = 100 });
        var writer = Serializer();

        Assert.Equal(Enumerable.Range(0, 10).ToList(), serializer.FromBinary(writer.ToBinary(Enumerable.Range(0, 10).ToList()), null));
        var error = Assert.Throws<SerializationException>(() =>
            serializer.FromBinary(writer.ToBinary(new MachineEvent("E", Enumerable.Range(0, 1000).Cast<object>().ToList())), null));
        Assert.Contains($"too many objects: reading it takes more than 100 reads, at least one per object ({HyperionSettings.Section}.max-objects = 100)", error.Message);
    }

    [Fact]
    public void The_limits_come_from_hocon_and_out_of_range_ones_name_their_key()
    {
        var settings = HyperionSettings.From(ConfigurationFactory.ParseString("max-depth = 64\nmax-objects = 5000"));
        Assert.Equal(64, settings.MaxDepth);
        Assert.Equal(5000, settings.MaxObjects);

        var depth = Assert.Throws<ConfigurationException>(() => HyperionSettings.From(ConfigurationFactory.ParseString("max-depth = 100000")));
        Assert.Contains($"{HyperionSettings.Section}.max-depth: 100000", depth.Message);
        var objects = Assert.Throws<ConfigurationException>(() => HyperionSettings.From(ConfigurationFactory.ParseString("max-objects = 0")));
        Assert.Contains($"{HyperionSettings.Section}.max-objects: 0", objects.Message);
    }

    [Fact]
    public void An_unknown_key_in_the_section_is_reported_with_its_path()
    {
        var error = Assert.Throws<ConfigurationException>(() => HyperionSettings.From(ConfigurationFactory.ParseString("max-dept = 64")));
        Assert.Contains($"{HyperionSettings.Section}.max-dept: unknown setting", error.Message);
        Assert.Contains("max-depth", error.Message);
    }

    [Fact]
    public void The_reference_config_sets_the_default_limits()
    {
        var settings = Assert.IsType<HyperionSerializer>(Sys.Serialization.FindSerializerForType(typeof(object))).RuntimeSettings;
        Assert.Equal(HyperionSettings.DefaultMaxDepth, settings.MaxDepth);
        Assert.Equal(HyperionSettings.DefaultMaxObjects, settings.MaxObjects);
    }
}

/// <summary>A record that nests through an <c>object</c> field, as user payloads do.</summary>
public sealed record Node(object? Next);
