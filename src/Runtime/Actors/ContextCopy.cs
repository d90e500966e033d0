namespace XStateNet.Actors;

/// <summary>Copies a machine's context for a snapshot: dictionaries and lists deeply, other values as they are.</summary>
internal static class ContextCopy
{
    public static IReadOnlyDictionary<string, object?> Of(IDictionary<string, object?> context) => CopyDictionary(context);

    private static Dictionary<string, object?> CopyDictionary(IDictionary<string, object?> source)
    {
        var copy = new Dictionary<string, object?>(source.Count, StringComparer.Ordinal);
        foreach (var (key, value) in source) copy[key] = CopyValue(value);
        return copy;
    }

    private static object? CopyValue(object? value) => value switch
    {
        IDictionary<string, object?> dictionary => CopyDictionary(dictionary),
        List<object?> list => list.Select(CopyValue).ToList(),
        _ => value,
    };
}
