using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace XStateNet.Actors.Serialization;

/// <summary>
/// Anonymous types exist only in the assembly that declared them, so a peer running another program could not
/// read them. Before a machine event leaves the process, its anonymous payload (and anonymous values nested in it)
/// becomes a dictionary of property names to values, which <see cref="OrchestratedContext.EventData"/> reads
/// through <c>dynamic</c> exactly as it read the anonymous object.
/// </summary>
internal static class PortablePayload
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]?> AnonymousProperties = new();

    /// <summary>The event itself when nothing in its data needs converting; otherwise a copy with portable data.</summary>
    public static MachineEvent Of(MachineEvent machineEvent)
    {
        var data = machineEvent.Data;
        if (data is null || !NeedsConversion(data)) return machineEvent;
        return machineEvent with { Data = Convert(data) };
    }

    private static bool NeedsConversion(object value) => value switch
    {
        string => false,
        _ when value.GetType().IsPrimitive => false,
        _ when PropertiesIfAnonymous(value.GetType()) is not null => true,
        IDictionary dictionary => ValuesNeedConversion(dictionary.Values),
        IEnumerable items => ValuesNeedConversion(items),
        _ => false,
    };

    private static bool ValuesNeedConversion(IEnumerable values)
    {
        foreach (var item in values)
        {
            if (item is not null && NeedsConversion(item)) return true;
        }
        return false;
    }

    private static object? Convert(object? value)
    {
        switch (value)
        {
            case null or string:
                return value;
            case var _ when PropertiesIfAnonymous(value.GetType()) is { } properties:
                var members = new Dictionary<string, object?>(properties.Length, StringComparer.Ordinal);
                foreach (var property in properties) members[property.Name] = Convert(property.GetValue(value));
                return members;
            case IDictionary dictionary when NeedsConversion(dictionary):
                var copy = new Dictionary<string, object?>(dictionary.Count, StringComparer.Ordinal);
                foreach (DictionaryEntry entry in dictionary) copy[entry.Key.ToString()!] = Convert(entry.Value);
                return copy;
            case IEnumerable items when NeedsConversion(items):
                var list = new List<object?>();
                foreach (var item in items) list.Add(Convert(item));
                return list;
            default:
                return value;
        }
    }

    private static PropertyInfo[]? PropertiesIfAnonymous(Type type) =>
        AnonymousProperties.GetOrAdd(type, static t => IsAnonymous(t)
            ? t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            : null);

    private static bool IsAnonymous(Type type) =>
        type.IsGenericType
        && type.Name.Contains("AnonymousType", StringComparison.Ordinal)
        && type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false);
}
