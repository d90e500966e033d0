using System.Runtime.Serialization;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Serialization;

namespace XStateNet.Actors.Tests.Serialization;

/// <summary>
/// Machine events have a serializer of their own: a header (name, sender id) and the payload, byte arrays and
/// strings as they are, anything else through Hyperion with every read check. A peer's bytes are hostile: every
/// malformed header is a <see cref="SerializationException"/> for that message, and payloads keep Hyperion's limits.
/// </summary>
public sealed class MachineEventSerializerSpecs() : TestKit(XStateNetConfig.Default, "machine-event-serializer")
{
    private MachineEventSerializer Bound() =>
        Assert.IsType<MachineEventSerializer>(Sys.Serialization.FindSerializerForType(typeof(MachineEvent)));

    private MachineEvent RoundTrip(MachineEvent machineEvent)
    {
        var serializer = Bound();
        Assert.Equal(MachineEventSerializer.ManifestV1, serializer.Manifest(machineEvent));
        return Assert.IsType<MachineEvent>(serializer.FromBinary(serializer.ToBinary(machineEvent), serializer.Manifest(machineEvent)));
    }

    [Fact]
    public void The_reference_config_binds_it_to_machine_events_and_leaves_other_messages_to_hyperion()
    {
        Assert.Equal(MachineEventSerializer.SerializerIdentifier, Bound().Identifier);
        Assert.IsType<HyperionSerializer>(Sys.Serialization.FindSerializerFor(new SaveRequest("a", 1)));
    }

    [Fact]
    public void Names_sender_ids_and_every_kind_of_payload_round_trip()
    {
        var bytes = Enumerable.Range(0, 1024).Select(i => (byte)i).ToArray();
        var order = new Order(7, [new OrderLine("apple", 3, 0.5m)]);
        object?[] payloads = [null, bytes, Array.Empty<byte>(), "", "ünïcödé text", 42, 12.5m, order, new List<int> { 1, 2 }];
        foreach (var payload in payloads)
        {
            var back = RoundTrip(new MachineEvent("SAVE_DATA", payload) { SourceMachineId = "ingester" });
            Assert.Equal("SAVE_DATA", back.Name);
            Assert.Equal("ingester", back.SourceMachineId);
            switch (payload)
            {
                case byte[] sent: Assert.Equal(sent, Assert.IsType<byte[]>(back.Data)); break;
                case Order: Assert.Equal(order.Lines, Assert.IsType<Order>(back.Data).Lines); break;
                default: Assert.Equal(payload, back.Data); break;
            }
        }
        Assert.Null(RoundTrip(new MachineEvent("GO")).SourceMachineId);
    }

    [Fact]
    public void A_trace_context_round_trips_as_the_senders_and_an_untraced_event_carries_none()
    {
        var sent = new System.Diagnostics.ActivityContext(System.Diagnostics.ActivityTraceId.CreateRandom(),
            System.Diagnostics.ActivitySpanId.CreateRandom(), System.Diagnostics.ActivityTraceFlags.Recorded);
        var back = RoundTrip(new MachineEvent("SAVE", "data") { SourceMachineId = "ingester", TraceContext = sent });
        Assert.Equal(sent.TraceId, back.TraceContext.TraceId);
        Assert.Equal(sent.SpanId, back.TraceContext.SpanId);
        Assert.Equal(sent.TraceFlags, back.TraceContext.TraceFlags);
        Assert.True(back.TraceContext.IsRemote);
        Assert.Equal("data", back.Data);
        Assert.Equal(default, RoundTrip(new MachineEvent("GO")).TraceContext);
    }

    [Theory]
    [InlineData("truncated", "trace context needs 25 bytes")]
    [InlineData("zero trace id", "trace id is all zeros")]
    [InlineData("zero span id", "parent span id is all zeros")]
    [InlineData("unknown flag", "trace flags 0x02")]
    public void A_peers_malformed_trace_context_is_refused(string damage, string expected)
    {
        // flags (has a trace context), the name "A", then the 25 bytes of the context.
        var bytes = new byte[] { 0x02, 1, (byte)'A' }.Concat(Enumerable.Repeat((byte)7, 25)).ToArray();
        bytes[^1] = 1;
        switch (damage)
        {
            case "truncated": bytes = bytes[..^3]; break;
            case "zero trace id": Array.Clear(bytes, 3, 16); break;
            case "zero span id": Array.Clear(bytes, 19, 8); break;
            case "unknown flag": bytes[^1] = 0x02; break;
        }

        var error = Assert.Throws<SerializationException>(() => Bound().FromBinary(bytes, MachineEventSerializer.ManifestV1));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void An_anonymous_payload_arrives_as_a_dictionary_read_through_dynamic()
    {
        var bytes = new byte[] { 1, 2, 3 };
        var back = RoundTrip(new MachineEvent("PROCESS", new { File = "a.txt", Data = bytes, Meta = new { Size = 3 }, Tags = new[] { new { Name = "t" } } }));

        dynamic data = Assert.IsType<Dictionary<string, object?>>(back.Data);
        Assert.Equal("a.txt", (string)data["File"]);
        Assert.Equal(bytes, (byte[])data["Data"]);
        dynamic view = DynamicPayload.Wrap(back.Data)!;
        Assert.Equal(3, (int)view.Meta.Size);
        Assert.Equal("t", (string)view.Tags[0]["Name"]);
    }

    [Fact]
    public void Members_of_every_kind_round_trip_and_other_dictionaries_go_through_hyperion()
    {
        var members = new Dictionary<string, object?>
        {
            ["Bytes"] = new byte[] { 1, 2 }, ["Text"] = "t", ["None"] = null, ["Number"] = 5, ["Nested"] = new Dictionary<string, object?> { ["Deep"] = 1.5 },
        };
        var back = Assert.IsType<Dictionary<string, object?>>(RoundTrip(new MachineEvent("E", members)).Data);
        Assert.Equal(members.Keys, back.Keys);
        Assert.Equal(new byte[] { 1, 2 }, back["Bytes"]);
        Assert.Equal("t", back["Text"]);
        Assert.Null(back["None"]);
        Assert.Equal(5, back["Number"]);
        Assert.Equal(1.5, Assert.IsType<Dictionary<string, object?>>(back["Nested"])["Deep"]);

        var ignoringCase = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["Key"] = 1 };
        var read = Assert.IsType<Dictionary<string, object?>>(RoundTrip(new MachineEvent("E", ignoringCase)).Data);
        Assert.Equal(1, read["Key"]); // through Hyperion, as any dictionary that is not a plain one of ours
    }

    [Fact]
    public void A_members_array_that_does_not_match_its_members_is_refused()
    {
        var serializer = Bound();
        // Two members announced "in the array", then an array of one value.
        var hyperion = Assert.IsType<HyperionSerializer>(Sys.Serialization.FindSerializerForType(typeof(object)));
        byte[] bytes = [0x40, 0x01, (byte)'A', 0x02, 0x01, (byte)'x', 0x03, 0x01, (byte)'y', 0x03, .. hyperion.ToBinary(new object?[] { 1 })];
        var error = Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, MachineEventSerializer.ManifestV1));
        Assert.Contains("array of 2 values", error.Message);
    }

    [Fact]
    public void An_unknown_manifest_is_refused_naming_the_one_it_reads()
    {
        var serializer = Bound();
        var error = Assert.Throws<SerializationException>(() => serializer.FromBinary(serializer.ToBinary(new MachineEvent("GO")), "E9"));
        Assert.Contains("manifest 'E9'", error.Message);
        Assert.Contains("'E1'", error.Message);
    }

    [Fact]
    public void Every_truncation_of_an_event_is_a_serialization_error()
    {
        var serializer = Bound();
        var whole = serializer.ToBinary(new MachineEvent("SAVE", new byte[] { 9, 8, 7 }) { SourceMachineId = "src" });
        for (var length = 0; length < whole.Length; length++)
        {
            var cut = whole[..length];
            Assert.Throws<SerializationException>(() => serializer.FromBinary(cut, MachineEventSerializer.ManifestV1));
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, (byte)'A' }, "declares")]        // a 2 GB name in 7 bytes
    [InlineData(new byte[] { 0x00, 0x02, 0xC3, 0x28 }, "not valid UTF-8")]                         // an invalid UTF-8 name
    [InlineData(new byte[] { 0x04, 0x01, (byte)'A' }, "flags")]                                     // a flag this layout never writes
    [InlineData(new byte[] { 0x50, 0x01, (byte)'A' }, "flags")]                                     // an unknown payload kind
    [InlineData(new byte[] { 0x40, 0x01, (byte)'A', 0x7F, 0x00, 0x00 }, "member count declares 127")]     // more members than bytes
    [InlineData(new byte[] { 0x40, 0x01, (byte)'A', 0x03, 0x00, 0x00, 0x00 }, "declares 3 members in 3 bytes")]
    [InlineData(new byte[] { 0x40, 0x01, (byte)'A', 0x02, 0x01, (byte)'x', 0x00, 0x01, (byte)'x', 0x00 }, "appears twice")]
    [InlineData(new byte[] { 0x40, 0x01, (byte)'A', 0x01, 0x01, (byte)'x', 0x09 }, "value kind 9")]
    [InlineData(new byte[] { 0x40, 0x01, (byte)'A', 0x01, 0x01, (byte)'x' }, "ends before the value")]
    [InlineData(new byte[] { 0x00, 0x00 }, "name is empty")]
    [InlineData(new byte[] { 0x00, 0x01, (byte)'A', 0x00 }, "follow its end")]
    [InlineData(new byte[] { 0x10, 0x01, (byte)'A', 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 }, "longer than five bytes")]
    [InlineData(new byte[] { 0x10, 0x01, (byte)'A', 0x40, 1, 2 }, "declares 64 bytes but only 2 follow")] // a byte[] longer than what is there
    public void A_malformed_header_is_refused_naming_the_problem(byte[] bytes, string named)
    {
        var error = Assert.Throws<SerializationException>(() => Bound().FromBinary(bytes, MachineEventSerializer.ManifestV1));
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void A_payload_nested_deeper_than_max_depth_is_refused_naming_the_setting()
    {
        var serializer = Bound();
        // A machine event whose payload is a list nested 30,000 deep: Hyperion's part is built by repeating one level.
        var bytes = DeepPayload.Build(value => serializer.ToBinary(new MachineEvent("DEEP", value)), value => new List<object> { value }, 1, 30_000);

        var error = Assert.Throws<SerializationException>(() => ReadLimitsSpecs.OnDispatcherSizedThread(() => serializer.FromBinary(bytes, MachineEventSerializer.ManifestV1)));

        Assert.Contains($"({HyperionSettings.Section}.max-depth = 128)", error.Message);
        Assert.Equal("GO", ReadLimitsSpecs.OnDispatcherSizedThread(() => RoundTrip(new MachineEvent("GO"))).Name); // and it goes on reading
    }

    [Fact]
    public void A_dangerous_type_in_the_payload_is_refused_naming_it()
    {
        var serializer = Bound();
        // Written by a peer that does not refuse it: the layout's header (Hyperion payload, name "E"), then the
        // payload as a trusting Hyperion serializer writes it.
        var trusting = new HyperionSerializer((ExtendedActorSystem)Sys, HyperionSettings.Default with { DisallowUnsafeTypes = false });
        byte[] bytes = [0x30, 0x01, (byte)'E', .. trusting.ToBinary(new Finalizable())];

        var error = Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, MachineEventSerializer.ManifestV1));
        Assert.Contains(nameof(Finalizable), error.Message);
    }

    [Fact]
    public void Mutated_events_read_or_fail_with_a_serialization_error_never_worse()
    {
        var serializer = Bound();
        var random = new Random(2751);
        MachineEvent[] seeds =
        [
            new("GO"),
            new("SAVE", new byte[] { 1, 2, 3, 4 }) { SourceMachineId = "src" },
            new("TEXT", "some text"),
            new("PLACE", new Order(7, [new OrderLine("apple", 3, 0.5m)])),
            new("PROCESS", new { File = "a.txt", Data = new byte[] { 5, 6 } }),
        ];
        for (var i = 0; i < 3000; i++)
        {
            var bytes = serializer.ToBinary(seeds[i % seeds.Length]);
            for (var flips = random.Next(1, 4); flips > 0; flips--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            if (random.Next(4) == 0) bytes = bytes[..random.Next(bytes.Length)];
            try
            {
                ReadLimitsSpecs.OnDispatcherSizedThread(() => serializer.FromBinary(bytes, MachineEventSerializer.ManifestV1));
            }
            catch (SerializationException)
            {
            }
        }
    }
}
