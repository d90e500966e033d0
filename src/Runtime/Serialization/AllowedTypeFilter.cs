using Hyperion;

namespace XStateNet.Actors.Serialization;

/// <summary>
/// The <c>allowed-types</c> setting as Hyperion's type filter. Hyperion asks it with a type's assembly-qualified
/// name, generic arguments included, so every type named in it (outer type and each argument) must be accepted.
/// </summary>
internal sealed class AllowedTypeFilter : ITypeFilter
{
    // .NET's and Akka's own types, and the runtime's messages; not every XStateNet.Actors.* namespace, since
    // users' applications may live under it too.
    private static readonly string[] AlwaysAllowedNamespaces = ["System.", "Akka."];
    private static readonly HashSet<string> AlwaysAllowedTypesOf = ["XStateNet.Actors", "XStateNet.Actors.Serialization"];

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

    public bool IsAllowed(string typeName)
    {
        foreach (var name in TypeNames.FullNamesIn(typeName))
        {
            if (!IsAllowedFullName(name)) return false;
        }
        return true;
    }

    private bool IsAllowedFullName(string fullName)
    {
        if (_types.Contains(fullName)) return true;
        var lastDot = fullName.LastIndexOf('.');
        if (lastDot > 0 && AlwaysAllowedTypesOf.Contains(fullName[..lastDot])) return true;
        foreach (var prefix in AlwaysAllowedNamespaces)
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
