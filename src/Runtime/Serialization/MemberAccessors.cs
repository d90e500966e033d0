using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace XStateNet.Actors.Serialization;

/// <summary>
/// Readers of public instance properties and fields, compiled once per type and member: what reading an anonymous
/// payload costs is a delegate call, not reflection (<see cref="PortablePayload"/> and the dynamic view of payloads).
/// </summary>
internal static class MemberAccessors
{
    private static readonly ConcurrentDictionary<(Type Type, string Name), Func<object, object?>?> Readers = new();

    /// <summary>A reader of the public property or field <paramref name="name"/> of <paramref name="type"/>, or null.</summary>
    public static Func<object, object?>? Reader(Type type, string name) =>
        Readers.GetOrAdd((type, name), static key => Compile(key.Type, key.Name));

    private static Func<object, object?>? Compile(Type type, string name)
    {
        var target = Expression.Parameter(typeof(object), "target");
        var typed = Expression.Convert(target, type);
        MemberExpression? member = null;
        if (type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance) is { GetMethod: { } getter } property
            && getter.GetParameters().Length == 0)
        {
            member = Expression.Property(typed, property);
        }
        else if (type.GetField(name, BindingFlags.Public | BindingFlags.Instance) is { } field)
        {
            member = Expression.Field(typed, field);
        }
        return member is null
            ? null
            : Expression.Lambda<Func<object, object?>>(Expression.Convert(member, typeof(object)), target).Compile();
    }
}
