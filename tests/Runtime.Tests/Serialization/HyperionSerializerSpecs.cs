using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Serialization;

namespace XStateNet.Actors.Tests.Serialization;

public sealed class HyperionSerializerSpecs() : TestKit(XStateNetConfig.Default, "hyperion")
{
    // The runtime's Hyperion serializer itself (machine events are bound to their own serializer, which reads
    // their payloads with the same engine; written here as whole Hyperion messages, they test that engine).
    private HyperionSerializer Bound(object _) =>
        Assert.IsType<HyperionSerializer>(Sys.Serialization.FindSerializerForType(typeof(object)));

    // Through the serializer the reference config binds for the value's type, as Akka's endpoints do.
    private T RoundTrip<T>(T value)
    {
        var serializer = Sys.Serialization.FindSerializerFor(value!);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, value!);
        return (T)Sys.Serialization.Deserialize(serializer.ToBinary(value!), serializer.Identifier, manifest);
    }

    [Fact]
    public void The_reference_config_binds_it_for_user_messages_and_machine_events_to_their_own()
    {
        Assert.IsType<HyperionSerializer>(Sys.Serialization.FindSerializerFor(new SaveRequest("a", 1)));
        Assert.IsType<MachineEventSerializer>(Sys.Serialization.FindSerializerFor(new MachineEvent("GO")));
        var settings = Bound(new SaveRequest("a", 1)).RuntimeSettings;
        Assert.True(settings.DisallowUnsafeTypes);
        Assert.Empty(settings.AllowedTypes);
    }

    [Theory]
    [InlineData(42)]
    [InlineData(-7L)]
    [InlineData(3.25d)]
    [InlineData(true)]
    [InlineData('x')]
    [InlineData("text with ünïcödé")]
    public void Primitives_round_trip_as_payloads(object value) =>
        Assert.Equal(value, RoundTrip(new MachineEvent("E", value)).Data);

    [Fact]
    public void Decimals_guids_and_times_round_trip()
    {
        var values = new object[] { 12.50m, Guid.NewGuid(), new DateTime(2026, 11, 23, 8, 30, 0, DateTimeKind.Utc), TimeSpan.FromMilliseconds(1500) };
        foreach (var value in values) Assert.Equal(value, RoundTrip(new MachineEvent("E", value)).Data);
    }

    [Fact]
    public void Null_payloads_and_sources_round_trip()
    {
        var back = RoundTrip(new MachineEvent("E", null));
        Assert.Null(back.Data);
        Assert.Null(back.SourceMachineId);
        Assert.Equal("E", back.Name);
    }

    [Fact]
    public void Records_with_nested_collections_round_trip()
    {
        var order = new Order(7, [new OrderLine("apple", 3, 0.5m), new OrderLine("pear", 1, 2m)]);
        var back = RoundTrip(new MachineEvent("PLACE", order) { SourceMachineId = "shop" });

        Assert.Equal("shop", back.SourceMachineId);
        var copy = Assert.IsType<Order>(back.Data);
        Assert.Equal(order.Id, copy.Id);
        Assert.Equal(order.Lines, copy.Lines);
    }

    [Fact]
    public void Collections_and_dictionaries_round_trip()
    {
        var list = new List<int> { 1, 2, 3 };
        var array = new[] { "a", "b" };
        var set = new HashSet<string> { "x", "y" };
        var dictionary = new Dictionary<string, object?>
        {
            ["count"] = 2,
            ["names"] = new List<object?> { "a", null },
            ["nested"] = new Dictionary<string, object?> { ["deep"] = 1.5 },
        };

        Assert.Equal(list, RoundTrip(list));
        Assert.Equal(array, RoundTrip(array));
        Assert.Equal(set, RoundTrip(set));
        var back = RoundTrip(dictionary);
        Assert.Equal(2, back["count"]);
        Assert.Equal(new List<object?> { "a", null }, back["names"]);
        Assert.Equal(1.5, ((Dictionary<string, object?>)back["nested"]!)["deep"]);
    }

    [Fact]
    public void Shared_references_stay_shared()
    {
        var line = new MutableLine { Item = "tea" };
        var back = RoundTrip(new[] { line, line });
        Assert.Same(back[0], back[1]);
    }

    [Fact]
    public void Anonymous_payloads_travel_as_dictionaries_and_read_the_same_through_dynamic()
    {
        var sent = new MachineEvent("PROCESS_DATA", new { File = "a.txt", Size = 3, Meta = new { Encoding = "utf-8" }, Tags = new[] { new { Name = "t" } } });

        var back = RoundTrip(sent);

        Assert.IsType<Dictionary<string, object?>>(back.Data);
        dynamic data = DynamicPayload.Wrap(back.Data)!;
        Assert.Equal("a.txt", (string)data.File);
        Assert.Equal(3, (int)data.Size);
        Assert.Equal("utf-8", (string)data.Meta.Encoding);
        var tags = (List<object?>)((Dictionary<string, object?>)back.Data!)["Tags"]!;
        dynamic tag = DynamicPayload.Wrap(tags[0])!;
        Assert.Equal("t", (string)tag.Name);
    }

    [Fact]
    public void Snapshots_round_trip()
    {
        var snapshot = new MachineSnapshot("m", ["a", "a.b"], false, new Dictionary<string, object?> { ["n"] = 1 });
        var back = RoundTrip(snapshot);
        Assert.Equal(snapshot.ActiveStates, back.ActiveStates);
        Assert.Equal(1, back.Context["n"]);
    }

    [Fact]
    public void Actor_references_inside_messages_resolve_to_the_same_actor()
    {
        var back = RoundTrip(new ReplyTo(TestActor, "hello"));
        Assert.Equal(TestActor, back.Target);
    }

    [Fact]
    public void A_type_Hyperion_lists_as_unsafe_is_refused_with_a_clear_error()
    {
        var trusting = new HyperionSerializer((ExtendedActorSystem)Sys, HyperionSettings.Default with { DisallowUnsafeTypes = false });
        var bytes = trusting.ToBinary(new MachineEvent("E", new TextFormattingRunProperties()));

        var error = Assert.Throws<SerializationException>(() => Bound(new MachineEvent("E")).FromBinary(bytes, null));

        Assert.Contains("TextFormattingRunProperties", error.Message);
        Assert.Contains("disallow-unsafe-type", error.Message);
        Assert.NotNull(trusting.FromBinary(bytes, null));
    }

    [Fact]
    public void The_allow_list_refuses_other_types_even_as_generic_arguments()
    {
        var listed = new HyperionSerializer((ExtendedActorSystem)Sys,
            HyperionSettings.From(ConfigurationFactory.ParseString($$"""allowed-types = ["{{typeof(SaveRequest).FullName}}", "Some.Other.Namespace.*"]""")));
        var writer = Bound(new MachineEvent("E"));

        Assert.IsType<SaveRequest>(listed.FromBinary(writer.ToBinary(new SaveRequest("a", 1)), null));
        Assert.Equal(new List<int> { 1 }, listed.FromBinary(writer.ToBinary(new List<int> { 1 }), null));
        var refused = Assert.Throws<SerializationException>(() => listed.FromBinary(writer.ToBinary(new MachineEvent("E", new OrderLine("x", 1, 1m))), null));
        Assert.Contains("allowed-types", refused.Message);
        Assert.Contains(nameof(OrderLine), refused.Message);
        Assert.Throws<SerializationException>(() => listed.FromBinary(writer.ToBinary(new List<OrderLine> { new("x", 1, 1m) }), null));
    }

    [Fact]
    public void Corrupt_or_truncated_bytes_give_a_serialization_error_not_a_crash()
    {
        var serializer = Bound(new MachineEvent("E"));
        var good = serializer.ToBinary(new MachineEvent("E", new Order(1, [new OrderLine("x", 1, 1m)])));
        var garbage = Encoding.ASCII.GetBytes("this is not hyperion at all, just text on the wire");

        foreach (var bytes in new[] { good[..(good.Length / 2)], garbage, [], [0xFF, 0xFF, 0xFF, 0xFF] })
        {
            var error = Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, null));
            Assert.Contains("Hyperion", error.Message);
        }
    }
}

public sealed record OrderLine(string Item, int Quantity, decimal Price);

public sealed record Order(int Id, IReadOnlyList<OrderLine> Lines);

public sealed record SaveRequest(string Path, int Attempt);

public sealed record ReplyTo(IActorRef Target, string Text);

public sealed class MutableLine
{
    public string Item { get; set; } = "";
}

/// <summary>Its name is on Hyperion's list of types unsafe to create from untrusted bytes.</summary>
public sealed class TextFormattingRunProperties
{
    public string Font { get; set; } = "mono";
}
