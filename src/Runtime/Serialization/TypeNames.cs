namespace XStateNet.Actors.Serialization;

/// <summary>Splits an assembly-qualified type name into the full names of every type it mentions.</summary>
internal static class TypeNames
{
    /// <summary>
    /// <c>System.Collections.Generic.List`1[[MyApp.Order, MyApp]], System.Private.CoreLib</c> gives
    /// <c>System.Collections.Generic.List`1</c> and <c>MyApp.Order</c>. Nested types keep their <c>+</c>.
    /// Array ranks (<c>[]</c>, <c>[,]</c>) are dropped: an array is as safe as its element type.
    /// </summary>
    public static List<string> FullNamesIn(string assemblyQualifiedName)
    {
        var names = new List<string>();
        var position = 0;
        Collect(assemblyQualifiedName, ref position, names);
        return names;
    }

    // Reads one type name starting at position, up to the end, a ',' that starts its assembly name, or the ']'
    // that closes it as a generic argument; leaves position on that terminator.
    private static void Collect(string text, ref int position, List<string> names)
    {
        var start = position;
        while (position < text.Length && text[position] is not ('[' or ',' or ']')) position++;
        names.Add(text[start..position].Trim());

        while (position < text.Length && text[position] == '[')
        {
            if (position + 1 < text.Length && text[position + 1] == '[')
            {
                position++; // the outer '[' of a generic argument list
                while (position < text.Length && text[position] == '[')
                {
                    position++;
                    Collect(text, ref position, names);
                    SkipAssemblyName(text, ref position);
                    if (position < text.Length && text[position] == ']') position++;
                    if (position < text.Length && text[position] == ',') position++;
                }
                if (position < text.Length && text[position] == ']') position++;
            }
            else
            {
                // An array rank: '[' then commas or '*', then ']'.
                while (position < text.Length && text[position] != ']') position++;
                if (position < text.Length) position++;
            }
        }
    }

    private static void SkipAssemblyName(string text, ref int position)
    {
        var depth = 0;
        while (position < text.Length)
        {
            var c = text[position];
            if (c == '[') depth++;
            else if (c == ']')
            {
                if (depth == 0) return;
                depth--;
            }
            position++;
        }
    }
}
