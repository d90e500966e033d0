using System.Text.Json;

namespace XStateNet.Actors.Statecharts;

/// <summary>Reads the members of a snapshot's JSON, each failure naming its JSON path.</summary>
internal readonly struct SnapshotJson(JsonElement element, string path)
{
    public JsonElement Element { get; } = element;
    public string Path { get; } = path;

    public static StatechartSnapshotException Malformed(string path, string message, Exception? inner = null) =>
        new("Cannot read the statechart snapshot", [$"{path}: {message}"], inner);

    public SnapshotJson AsObject(string path) =>
        Element.ValueKind == JsonValueKind.Object ? this : throw Malformed(path, $"expected an object, not {JsonValues.Describe(Element.ValueKind)}");

    public SnapshotJson AsArray() =>
        Element.ValueKind == JsonValueKind.Array ? this : throw Malformed(Path, $"expected an array, not {JsonValues.Describe(Element.ValueKind)}");

    public string AsString(string path) =>
        Element.ValueKind == JsonValueKind.String ? Element.GetString()! : throw Malformed(path, $"expected a string, not {JsonValues.Describe(Element.ValueKind)}");

    public string String(string key) => Member(key, JsonValueKind.String).Element.GetString()!;

    public bool Bool(string key)
    {
        var member = Member(key, null);
        return member.Element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Malformed(member.Path, $"expected true or false, not {JsonValues.Describe(member.Element.ValueKind)}"),
        };
    }

    public long Long(string key)
    {
        var member = Member(key, JsonValueKind.Number);
        return member.Element.TryGetInt64(out var value) ? value : throw Malformed(member.Path, "expected a whole number");
    }

    public SnapshotJson Object(string key) => Member(key, JsonValueKind.Object);

    public SnapshotJson Array(string key) => Member(key, JsonValueKind.Array);

    /// <summary>The items of this array, each with its path.</summary>
    public IEnumerable<(SnapshotJson Item, string Path)> ArrayItems()
    {
        var path = Path;
        return Element.EnumerateArray().Select((item, i) => (new SnapshotJson(item, JsonPaths.Item(path, i)), JsonPaths.Item(path, i)));
    }

    public IEnumerable<T> Select<T>(Func<SnapshotJson, string, T> read) => ArrayItems().Select(item => read(item.Item, item.Path));

    /// <summary>The members of this object, each with its value.</summary>
    public IEnumerable<(string Name, SnapshotJson Value)> Members()
    {
        var path = Path;
        return Element.EnumerateObject().Select(p => (p.Name, new SnapshotJson(p.Value, JsonPaths.Property(path, p.Name))));
    }

    private SnapshotJson Member(string key, JsonValueKind? kind)
    {
        if (Element.ValueKind != JsonValueKind.Object) throw Malformed(Path, $"expected an object, not {JsonValues.Describe(Element.ValueKind)}");
        var path = JsonPaths.Property(Path, key);
        if (!Element.TryGetProperty(key, out var value)) throw Malformed(path, "missing");
        if (kind is { } expected && value.ValueKind != expected) throw Malformed(path, $"expected {JsonValues.Describe(expected)}, not {JsonValues.Describe(value.ValueKind)}");
        return new SnapshotJson(value, path);
    }

}
