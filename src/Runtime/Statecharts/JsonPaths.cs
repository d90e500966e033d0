using System.Text.RegularExpressions;

namespace XStateNet.Actors.Statecharts;

/// <summary>Builds JSONPath-style locations (<c>$.states.a.on['my event'][0]</c>) for error messages.</summary>
internal static partial class JsonPaths
{
    public const string Root = "$";

    public static string Property(string parent, string key) =>
        PlainKey().IsMatch(key) ? $"{parent}.{key}" : $"{parent}['{key.Replace("'", "\\'")}']";

    public static string Item(string parent, int index) => $"{parent}[{index}]";

    [GeneratedRegex("^[A-Za-z_$][A-Za-z0-9_$]*$")]
    private static partial Regex PlainKey();
}
