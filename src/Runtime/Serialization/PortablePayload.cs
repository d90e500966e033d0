using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Serialization;

namespace XStateNet.Actors.Serialization;

/// <summary>
/// Anonymous types exist only in the assembly that declared them, so a peer running another program could not
/// read them. Before a machine event leaves the process, its anonymous payload (and anonymous values nested in it)
/// becomes a dictionary of property names to values, which <see cref="OrchestratedContext.EventData"/> reads
/// through <c>dynamic</c> exactly as it read the anonymous object.
/// </summary>
/// <remarks>
/// A payload is walked once: each value is looked at once, and a collection is copied only from its first value
/// that changed. What a type needs is worked out once per type: strings, primitives, arrays and collections of
/// them, and every other non-collection type are never entered (a 1 KiB <c>byte[]</c> is one type lookup, not 1,024
/// boxed bytes); anonymous types are read through accessors compiled once per type (<see cref="MemberAccessors"/>).
/// </remarks>
internal static class PortablePayload
{
    // Deeper than any real payload; a payload that holds itself would otherwise never end.
    private const int MaxDepth = 256;

    private static readonly ConcurrentDictionary<Type, Shape> Shapes = new();

    /// <summary>The event itself when nothing in its data needs converting; otherwise a copy with portable data.</summary>
    public static MachineEvent Of(MachineEvent machineEvent)
    {
        var data = machineEvent.Data;
        var portable = Convert(data);
        return ReferenceEquals(portable, data) ? machineEvent : machineEvent with { Data = portable };
    }

    /// <summary><paramref name="value"/> itself when nothing in it is anonymous; otherwise a portable copy.</summary>
    /// <exception cref="SerializationException">The payload is nested deeper than 256 levels (or holds itself).</exception>
    public static object? Convert(object? value) => Convert(value, 0);

    private static object? Convert(object? value, int depth)
    {
        if (value is null) return null;
        if (depth > MaxDepth)
            throw new SerializationException($"A machine event's payload is nested deeper than {MaxDepth} levels (or holds itself), so it cannot be sent.");
        var shape = ShapeOf(value.GetType());
        return shape.Kind switch
        {
            ShapeKind.Anonymous => FromAnonymous(value, shape, depth),
            ShapeKind.Dictionary => FromDictionary((IDictionary)value, depth),
            ShapeKind.Sequence => FromSequence((IEnumerable)value, depth),
            _ => value,
        };
    }

    private static Dictionary<string, object?> FromAnonymous(object value, Shape shape, int depth)
    {
        var members = new Dictionary<string, object?>(shape.Names.Length, StringComparer.Ordinal);
        for (var i = 0; i < shape.Names.Length; i++) members[shape.Names[i]] = Convert(shape.Readers[i](value), depth + 1);
        return members;
    }

    private static object FromDictionary(IDictionary dictionary, int depth)
    {
        Dictionary<string, object?>? copy = null;
        var index = 0;
        foreach (DictionaryEntry entry in dictionary)
        {
            var converted = Convert(entry.Value, depth + 1);
            if (copy is null && !ReferenceEquals(converted, entry.Value)) copy = CopyPrefix(dictionary, index);
            copy?.Add(entry.Key.ToString()!, converted);
            index++;
        }
        return copy ?? (object)dictionary;
    }

    private static object FromSequence(IEnumerable items, int depth)
    {
        List<object?>? copy = null;
        var index = 0;
        foreach (var item in items)
        {
            var converted = Convert(item, depth + 1);
            if (copy is null && !ReferenceEquals(converted, item)) copy = CopyPrefix(items, index);
            copy?.Add(converted);
            index++;
        }
        return copy ?? (object)items;
    }

    // The entries before the first that changed are unchanged: taken as they are, not converted again.
    private static Dictionary<string, object?> CopyPrefix(IDictionary dictionary, int count)
    {
        var copy = new Dictionary<string, object?>(dictionary.Count, StringComparer.Ordinal);
        foreach (DictionaryEntry entry in dictionary)
        {
            if (copy.Count == count) break;
            copy.Add(entry.Key.ToString()!, entry.Value);
        }
        return copy;
    }

    private static List<object?> CopyPrefix(IEnumerable items, int count)
    {
        var copy = new List<object?>(items is ICollection collection ? collection.Count : count + 1);
        foreach (var item in items)
        {
            if (copy.Count == count) break;
            copy.Add(item);
        }
        return copy;
    }

    // Types being described on this thread: a collection of itself (class Node : IEnumerable<Node>) is walked
    // rather than described forever.
    [ThreadStatic] private static HashSet<Type>? _describing;

    private static Shape ShapeOf(Type type) => Shapes.GetOrAdd(type, static t => DescribeOnce(t));

    private static Shape DescribeOnce(Type type)
    {
        var describing = _describing ??= [];
        describing.Add(type);
        try
        {
            return Describe(type);
        }
        finally
        {
            describing.Remove(type);
        }
    }

    private static Shape Describe(Type type)
    {
        if (IsAnonymous(type))
        {
            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
            return new Shape(ShapeKind.Anonymous,
                [.. properties.Select(p => p.Name)],
                [.. properties.Select(p => MemberAccessors.Reader(type, p.Name)!)]);
        }
        if (type == typeof(string) || type.IsPrimitive || type.IsEnum || !typeof(IEnumerable).IsAssignableFrom(type)) return Shape.Leaf;
        // A collection whose elements (and values) can never be or hold anything anonymous needs no walk.
        if (ElementTypes(type) is { } elements && elements.All(NeverConverted)) return Shape.Leaf;
        return typeof(IDictionary).IsAssignableFrom(type) ? Shape.Dictionary : Shape.Sequence;
    }

    // The element type of an array or IEnumerable<T>; key and value of an IDictionary<K, V>; null when unknown.
    private static Type[]? ElementTypes(Type type)
    {
        if (type.IsArray) return [type.GetElementType()!];
        var dictionary = Implemented(type, typeof(IDictionary<,>)) ?? Implemented(type, typeof(IReadOnlyDictionary<,>));
        if (dictionary is not null) return dictionary.GetGenericArguments();
        return Implemented(type, typeof(IEnumerable<>)) is { } sequence ? sequence.GetGenericArguments() : null;
    }

    private static Type? Implemented(Type type, Type generic) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == generic
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == generic);

    // A value of this static type is never converted: no subtype could be anonymous or a collection holding one.
    private static bool NeverConverted(Type type) =>
        type == typeof(string) || type.IsPrimitive || type.IsEnum
        || ((type.IsValueType || type.IsSealed) && _describing?.Contains(type) != true && ShapeOf(type).Kind == ShapeKind.Leaf);

    private static bool IsAnonymous(Type type) =>
        type.IsGenericType
        && type.Name.Contains("AnonymousType", StringComparison.Ordinal)
        && type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false);

    private enum ShapeKind
    {
        Leaf,
        Anonymous,
        Dictionary,
        Sequence,
    }

    private sealed record Shape(ShapeKind Kind, string[] Names, Func<object, object?>[] Readers)
    {
        public static readonly Shape Leaf = new(ShapeKind.Leaf, [], []);
        public static readonly Shape Dictionary = new(ShapeKind.Dictionary, [], []);
        public static readonly Shape Sequence = new(ShapeKind.Sequence, [], []);
    }
}
