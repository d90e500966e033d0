namespace XStateNet.Actors.Tests.Serialization;

/// <summary>
/// Builds the bytes of a value nested any number of levels deep without nesting it: Hyperion's writer recurses as
/// its reader does, so a 30,000-deep value could not even be written in a test. One level and two levels of the
/// same shape differ by exactly the bytes of one level, inserted at one place; repeating them makes any depth.
/// </summary>
internal static class DeepPayload
{
    /// <summary>The bytes <paramref name="write"/> would give for <paramref name="wrap"/> applied <paramref name="depth"/> times.</summary>
    public static byte[] Build(Func<object, byte[]> write, Func<object, object> wrap, object leaf, int depth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        var one = write(wrap(leaf));
        var two = write(wrap(wrap(leaf)));
        var three = write(wrap(wrap(wrap(leaf))));
        var first = 0;
        while (first < one.Length && one[first] == two[first]) first++;
        // The level may start a few bytes before the first difference (its first bytes repeating the ones before
        // it): the right start is the one from which repeating rebuilds both two and three levels exactly.
        for (var split = first; split >= 0; split--)
        {
            var level = two.AsSpan(split, two.Length - one.Length).ToArray();
            if (Rebuild(one, split, level, 2).AsSpan().SequenceEqual(two)
                && Rebuild(one, split, level, 3).AsSpan().SequenceEqual(three))
            {
                return Rebuild(one, split, level, depth);
            }
        }
        throw new InvalidOperationException("This shape does not nest by repeating one run of bytes.");
    }

    private static byte[] Rebuild(byte[] one, int split, byte[] level, int depth)
    {
        var bytes = new byte[one.Length + level.Length * (depth - 1)];
        one.AsSpan(0, split).CopyTo(bytes);
        for (var i = 0; i < depth - 1; i++) level.CopyTo(bytes, split + i * level.Length);
        one.AsSpan(split).CopyTo(bytes.AsSpan(split + level.Length * (depth - 1)));
        return bytes;
    }
}
