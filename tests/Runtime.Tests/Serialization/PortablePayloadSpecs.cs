using System.Collections;
using System.Runtime.Serialization;
using XStateNet.Actors.Serialization;

namespace XStateNet.Actors.Tests.Serialization;

/// <summary>
/// Anonymous payloads become dictionaries in one walk; byte arrays, strings, primitives and collections that can
/// hold nothing anonymous are never entered, and what needs no conversion is sent as it is.
/// </summary>
public sealed class PortablePayloadSpecs
{
    [Fact]
    public void Bytes_strings_records_and_typed_collections_are_sent_as_they_are()
    {
        object[] payloads = [new byte[1024], "text", 42, new Order(1, []), new List<int> { 1 }, new Dictionary<string, int> { ["a"] = 1 }, new[] { "a" }];
        foreach (var payload in payloads) Assert.Same(payload, PortablePayload.Convert(payload));
    }

    [Fact]
    public void A_collection_of_plain_elements_is_never_enumerated()
    {
        // Its element type (byte) can hold nothing anonymous: enumerating it would throw.
        var bytes = new NeverEnumerated();
        Assert.Same(bytes, PortablePayload.Convert(bytes));
    }

    [Fact]
    public void An_untyped_collection_without_anonymous_values_is_walked_but_not_copied()
    {
        var list = new List<object?> { 1, "a", null, new byte[] { 1 } };
        var dictionary = new Dictionary<string, object?> { ["a"] = 1, ["b"] = list };
        Assert.Same(list, PortablePayload.Convert(list));
        Assert.Same(dictionary, PortablePayload.Convert(dictionary));
    }

    [Fact]
    public void Anonymous_values_anywhere_become_dictionaries_and_values_before_them_are_kept()
    {
        var bytes = new byte[] { 1, 2 };
        var converted = PortablePayload.Convert(new Dictionary<string, object?>
        {
            ["first"] = bytes,
            ["second"] = new { File = "a.txt", Nested = new { Size = 3 } },
            ["third"] = new List<object> { 1, new { Name = "t" } },
        });

        var dictionary = Assert.IsType<Dictionary<string, object?>>(converted);
        Assert.Same(bytes, dictionary["first"]);
        var second = Assert.IsType<Dictionary<string, object?>>(dictionary["second"]);
        Assert.Equal("a.txt", second["File"]);
        Assert.Equal(3, Assert.IsType<Dictionary<string, object?>>(second["Nested"])["Size"]);
        var third = Assert.IsType<List<object?>>(dictionary["third"]);
        Assert.Equal(1, third[0]);
        Assert.Equal("t", Assert.IsType<Dictionary<string, object?>>(third[1])["Name"]);
    }

    [Fact]
    public void A_machine_event_without_anonymous_data_is_not_copied()
    {
        var machineEvent = new MachineEvent("E", new Order(1, [])) { SourceMachineId = "s" };
        Assert.Same(machineEvent, PortablePayload.Of(machineEvent));
        var anonymous = PortablePayload.Of(new MachineEvent("E", new { A = 1 }) { SourceMachineId = "s" });
        Assert.Equal("s", anonymous.SourceMachineId);
        Assert.IsType<Dictionary<string, object?>>(anonymous.Data);
    }

    [Fact]
    public void A_payload_that_holds_itself_is_refused_not_walked_forever()
    {
        var list = new List<object>();
        list.Add(list);
        var error = Assert.Throws<SerializationException>(() => PortablePayload.Convert(list));
        Assert.Contains("deeper than 256 levels", error.Message);
    }

    private sealed class NeverEnumerated : IEnumerable<byte>
    {
        public IEnumerator<byte> GetEnumerator() => throw new InvalidOperationException("enumerated");

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
