using System.Text.RegularExpressions;
using Hyperion;

namespace XStateNet.Actors.Serialization;

/// <summary>
/// Hyperion's type filter: asked with a type's name when a message names it, before the type is loaded and before
/// any instance exists (afterwards would be too late: a refused object's finalizer would still run). Refuses, with
/// an error naming the type and the setting, what <c>allowed-types</c> does not accept and what
/// <see cref="DangerousTypes"/> forbids.
/// </summary>
/// <remarks>
/// Hyperion caches the types it accepted by name, so each name is judged once per serializer; a refused name is
/// judged again each time, which costs a type lookup, never an instance. Hyperion also asks with the top-level type
/// of each message it writes, so a node cannot send what its peers would refuse.
/// </remarks>
internal sealed partial class ReadTypeFilter(bool refuseDangerous, AllowedTypeFilter? allowList) : ITypeFilter
{
    // How Hyperion shortens the core library's name on the wire, undone the way Hyperion undoes it.
    private static readonly string CoreAssemblyName = CoreAssemblyNameOf(typeof(int).AssemblyQualifiedName!);

    /// <inheritdoc />
    public bool IsAllowed(string typeName)
    {
        if (allowList?.FirstRefused(typeName) is { } notListed)
        {
            throw new PayloadRefusedException(
                $"Refused a Hyperion message naming type {notListed}: it is not in {HyperionSettings.Section}.allowed-types.");
        }
        if (!refuseDangerous) return true;
        var type = Resolve(typeName) ?? throw new PayloadRefusedException(
            $"Refused a Hyperion message naming type {Readable(typeName)}: no assembly loaded here defines it.");
        if (DangerousTypes.WhyRefused(type) is { } refused)
        {
            throw new PayloadRefusedException(
                $"Refused a Hyperion message naming type {refused.Culprit.FullName ?? refused.Culprit.Name}: it is " +
                $"{refused.Reason} ({HyperionSettings.Section}.disallow-unsafe-type = on; allowed-types cannot admit it).");
        }
        return true;
    }

    // The same lookups Hyperion makes (TypeEx.LoadTypeByName): exact versions first, then without versions.
    private static Type? Resolve(string typeName)
    {
        var qualified = typeName.Replace(",%core%", CoreAssemblyName, StringComparison.Ordinal);
        return TryGetType(qualified) ?? TryGetType(AssemblyVersion().Replace(qualified, string.Empty));
    }

    private static Type? TryGetType(string name)
    {
        try
        {
            return Type.GetType(name, throwOnError: false);
        }
        catch (Exception error) when (error is IOException or BadImageFormatException or ArgumentException or TypeLoadException)
        {
            return null;
        }
    }

    private static string Readable(string typeName) =>
        typeName.Replace(",%core%", string.Empty, StringComparison.Ordinal);

    private static string CoreAssemblyNameOf(string intName) => intName[intName.IndexOf(", Version", StringComparison.Ordinal)..];

    [GeneratedRegex("(, Version=([\\d\\.]+))?(, Culture=[^,\\] \\t]+)?(, PublicKeyToken=(null|[\\da-f]+))?",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex AssemblyVersion();
}
