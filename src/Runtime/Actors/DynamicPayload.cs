using System.Dynamic;
using System.Reflection;
using XStateNet.Actors.Serialization;

namespace XStateNet.Actors;

/// <summary>
/// Makes payloads readable through <c>dynamic</c> from any assembly. The C# binder honours accessibility, so
/// <c>data.File</c> on an anonymous object (an internal type) fails outside the assembly that created it, and
/// dictionaries have no members at all. Public types pass through untouched, so casts to them keep working.
/// </summary>
internal static class DynamicPayload
{
    public static object? Wrap(object? value) => value switch
    {
        null => null,
        ExpandoObject => value,
        IDictionary<string, object?> dictionary => new DictionaryView(dictionary),
        string => value,
        _ when value.GetType().IsVisible || value.GetType().IsPrimitive => value,
        _ => new MemberView(value),
    };

    /// <summary>Reads a hidden type's public properties and fields through accessors compiled once per type and member.</summary>
    private sealed class MemberView(object inner) : DynamicObject
    {
        public override bool TryGetMember(GetMemberBinder binder, out object? result)
        {
            var reader = MemberAccessors.Reader(inner.GetType(), binder.Name);
            result = reader is null ? null : Wrap(reader(inner));
            return reader is not null;
        }

        public override bool TryConvert(ConvertBinder binder, out object? result) => Convert(inner, binder.Type, out result);

        public override IEnumerable<string> GetDynamicMemberNames() =>
            inner.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name);

        public override string? ToString() => inner.ToString();
        public override bool Equals(object? obj) => inner.Equals(obj is MemberView other ? other.Inner : obj);
        public override int GetHashCode() => inner.GetHashCode();
        private object Inner => inner;
    }

    /// <summary>Reads dictionary entries as members (<c>data.File</c>) and by index (<c>data["File"]</c>).</summary>
    private sealed class DictionaryView(IDictionary<string, object?> inner) : DynamicObject
    {
        public override bool TryGetMember(GetMemberBinder binder, out object? result)
        {
            var found = inner.TryGetValue(binder.Name, out var value);
            result = Wrap(value);
            return found;
        }

        public override bool TryGetIndex(GetIndexBinder binder, object[] indexes, out object? result)
        {
            result = null;
            if (indexes is not [string key] || !inner.TryGetValue(key, out var value)) return false;
            result = Wrap(value);
            return true;
        }

        public override bool TryConvert(ConvertBinder binder, out object? result) => Convert(inner, binder.Type, out result);

        public override IEnumerable<string> GetDynamicMemberNames() => inner.Keys;

        public override string ToString() => "{ " + string.Join(", ", inner.Select(kv => $"{kv.Key} = {kv.Value}")) + " }";
    }

    private static bool Convert(object inner, Type wanted, out object? result)
    {
        var fits = wanted.IsInstanceOfType(inner);
        result = fits ? inner : null;
        return fits;
    }
}
