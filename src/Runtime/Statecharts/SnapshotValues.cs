using System.Globalization;
using System.Text.Json;

namespace XStateNet.Actors.Statecharts;

/// <summary>
/// The values a snapshot carries (context entries and event payloads): exactly the types the engine reads JSON
/// into, so each comes back as the same type with the same value. Null, <see cref="bool"/>, <see cref="string"/>,
/// <see cref="long"/>, finite <see cref="double"/>, <c>List&lt;object?&gt;</c> and <c>Dictionary&lt;string, object?&gt;</c>
/// of these. Anything else (an <see cref="int"/> included, which would come back as a long) is refused by name.
/// </summary>
internal static class SnapshotValues
{
    public const string Supported =
        "a snapshot carries null, bool, string, long, finite double, List<object?> and Dictionary<string, object?> of these " +
        "(the types the engine reads JSON into)";

    /// <summary>A deep copy of a supported value, or null with a problem added naming where and what.</summary>
    public static object? Copy(object? value, string path, List<string> problems) => value switch
    {
        null => null,
        bool or string or long => value,
        double d when double.IsFinite(d) => d,
        double d => Refuse(path, $"is {d.ToString(CultureInfo.InvariantCulture)}, which JSON cannot hold", problems),
        List<object?> list => CopyList(list, path, problems),
        Dictionary<string, object?> map => CopyMap(map, path, problems),
        _ => Refuse(path, $"is a {value.GetType().FullName}; {Supported}", problems),
    };

    public static Dictionary<string, object?> CopyMap(IEnumerable<KeyValuePair<string, object?>> map, string path, List<string> problems)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, item) in map) copy[key] = Copy(item, JsonPaths.Property(path, key), problems);
        return copy;
    }

    private static List<object?> CopyList(List<object?> list, string path, List<string> problems)
    {
        var copy = new List<object?>(list.Count);
        for (var i = 0; i < list.Count; i++) copy.Add(Copy(list[i], JsonPaths.Item(path, i), problems));
        return copy;
    }

    private static object? Refuse(string path, string what, List<string> problems)
    {
        problems.Add($"{path} {what}");
        return null;
    }

    /// <summary>Writes a value <see cref="Copy"/> accepted. A double always has a point or an exponent, so it reads back as a double.</summary>
    public static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case string s: writer.WriteStringValue(s); break;
            case long l: writer.WriteNumberValue(l); break;
            case double d:
                var text = d.ToString("R", CultureInfo.InvariantCulture);
                writer.WriteRawValue(text.AsSpan().IndexOfAny('.', 'E', 'e') < 0 ? text + ".0" : text);
                break;
            case List<object?> list:
                writer.WriteStartArray();
                foreach (var item in list) Write(writer, item);
                writer.WriteEndArray();
                break;
            case Dictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    writer.WritePropertyName(key);
                    Write(writer, item);
                }
                writer.WriteEndObject();
                break;
            default: throw new InvalidOperationException($"unexpected snapshot value {value.GetType()}"); // Copy refused it already
        }
    }

    /// <summary>Reads a value back: a number with a point or an exponent is a double, any other a long.</summary>
    public static object? Read(JsonElement json, string path) => json.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => json.GetString(),
        JsonValueKind.Number => ReadNumber(json, path),
        JsonValueKind.Array => json.EnumerateArray().Select((item, i) => Read(item, JsonPaths.Item(path, i))).ToList(),
        JsonValueKind.Object => ReadMap(json, path),
        _ => throw SnapshotJson.Malformed(path, "expected a value"),
    };

    public static Dictionary<string, object?> ReadMap(JsonElement json, string path)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in json.EnumerateObject()) map[property.Name] = Read(property.Value, JsonPaths.Property(path, property.Name));
        return map;
    }

    private static object ReadNumber(JsonElement json, string path)
    {
        if (json.GetRawText().AsSpan().IndexOfAny('.', 'E', 'e') >= 0)
        {
            if (json.TryGetDouble(out var d) && double.IsFinite(d)) return d;
            throw SnapshotJson.Malformed(path, $"{json.GetRawText()} is beyond the range of a double");
        }
        if (json.TryGetInt64(out var l)) return l;
        throw SnapshotJson.Malformed(path, $"{json.GetRawText()} is beyond the range of a long (write a double with a decimal point)");
    }
}
