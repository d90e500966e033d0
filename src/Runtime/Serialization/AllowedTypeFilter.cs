namespace XStateNet.Actors.Serialization;

/// <summary>
/// The <c>allowed-types</c> setting: the listed types, plus only what the runtime itself needs to carry them.
/// Hyperion names a type with its assembly-qualified name, generic arguments included, so every type named in it
/// (outer type and each argument) must be accepted.
/// </summary>
/// <remarks>
/// What the runtime needs: the primitives and the few value types machine events carry (string, decimal, dates,
/// times, guids, nullable, tuples), the collections that hold them (lists, arrays, dictionaries, sets, queues,
/// stacks, immutable and read-only collections: anonymous payloads travel as <c>Dictionary&lt;string, object&gt;</c>
/// and <c>List&lt;object&gt;</c>; the compiler's read-only wrappers of collection expressions), the runtime's own
/// messages, and Akka's (whose actor references, statuses and
/// identities the runtime exchanges). Not every <c>System.*</c> type: most of them are not data.
/// </remarks>
internal sealed class AllowedTypeFilter
{
    private static readonly HashSet<string> RuntimeTypes = new(StringComparer.Ordinal)
    {
        "System.Object", "System.String", "System.Boolean", "System.Char",
        "System.Byte", "System.SByte", "System.Int16", "System.UInt16", "System.Int32", "System.UInt32",
        "System.Int64", "System.UInt64", "System.Int128", "System.UInt128",
        "System.Half", "System.Single", "System.Double", "System.Decimal",
        "System.DateTime", "System.DateTimeOffset", "System.DateOnly", "System.TimeOnly", "System.TimeSpan",
        "System.Guid", "System.Nullable`1",
        "System.Tuple`1", "System.Tuple`2", "System.Tuple`3", "System.Tuple`4",
        "System.Tuple`5", "System.Tuple`6", "System.Tuple`7", "System.Tuple`8",
        "System.ValueTuple`1", "System.ValueTuple`2", "System.ValueTuple`3", "System.ValueTuple`4",
        "System.ValueTuple`5", "System.ValueTuple`6", "System.ValueTuple`7", "System.ValueTuple`8",
        "System.Collections.DictionaryEntry", // how Hyperion writes the entries of a dictionary
        "System.Collections.Generic.List`1", "System.Collections.Generic.Dictionary`2",
        "System.Collections.Generic.HashSet`1", "System.Collections.Generic.KeyValuePair`2",
        "System.Collections.Generic.SortedDictionary`2", "System.Collections.Generic.SortedList`2",
        "System.Collections.Generic.SortedSet`1", "System.Collections.Generic.LinkedList`1",
        "System.Collections.Generic.Queue`1", "System.Collections.Generic.Stack`1",
        "System.Collections.ObjectModel.ReadOnlyCollection`1", "System.Collections.ObjectModel.ReadOnlyDictionary`2",
    };

    // Namespaces taken whole: immutable collections are carriers only; Akka's types are the runtime's runtime.
    // Not every XStateNet.Actors.* namespace, since users' applications may live under it too.
    private static readonly string[] RuntimeNamespaces = ["System.Collections.Immutable.", "Akka."];
    private static readonly HashSet<string> RuntimeTypesOf = ["XStateNet.Actors", "XStateNet.Actors.Serialization"];

    // The read-only wrappers the C# compiler synthesizes (in the assembly that uses them, outside any namespace)
    // for a collection expression assigned to IReadOnlyList<T> and its kin: <>z__ReadOnlyArray`1 and the like.
    private const string CompilerCollectionPrefix = "<>z__ReadOnly";

    private readonly HashSet<string> _types = new(StringComparer.Ordinal);
    private readonly List<string> _namespaces = [];

    public AllowedTypeFilter(IEnumerable<string> entries)
    {
        foreach (var raw in entries)
        {
            var entry = raw.Trim();
            if (entry.Length == 0) continue;
            if (entry.EndsWith(".*", StringComparison.Ordinal)) _namespaces.Add(entry[..^1]);
            else _types.Add(entry);
        }
    }

    /// <summary>Whether every type the assembly-qualified <paramref name="typeName"/> mentions is accepted.</summary>
    public bool IsAllowed(string typeName) => FirstRefused(typeName) is null;

    /// <summary>The full name of the first type <paramref name="typeName"/> mentions that is not accepted, if any.</summary>
    public string? FirstRefused(string typeName)
    {
        foreach (var name in TypeNames.FullNamesIn(typeName))
        {
            if (!IsAllowedFullName(name)) return name;
        }
        return null;
    }

    private bool IsAllowedFullName(string fullName)
    {
        if (_types.Contains(fullName) || RuntimeTypes.Contains(fullName)) return true;
        if (fullName.StartsWith(CompilerCollectionPrefix, StringComparison.Ordinal)) return true;
        var lastDot = fullName.LastIndexOf('.');
        if (lastDot > 0 && RuntimeTypesOf.Contains(fullName[..lastDot])) return true;
        foreach (var prefix in RuntimeNamespaces)
        {
            if (fullName.StartsWith(prefix, StringComparison.Ordinal)) return true;
        }
        foreach (var prefix in _namespaces)
        {
            if (fullName.StartsWith(prefix, StringComparison.Ordinal)) return true;
        }
        return false;
    }
}
