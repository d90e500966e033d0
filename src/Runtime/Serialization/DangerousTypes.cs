using System.Reflection;
using System.Runtime.ConstrainedExecution;
using System.Runtime.InteropServices;

namespace XStateNet.Actors.Serialization;

/// <summary>
/// The types a message may never make, whatever <c>allowed-types</c> says (while <c>disallow-unsafe-type</c> is
/// on). Hyperion creates objects without running a constructor and fills their fields from the bytes, so any type
/// whose instances act on the world by merely existing is a weapon: a <see cref="SafeHandle"/> whose finalizer
/// closes whatever handle number the bytes named (fd 0 of the node), a delegate naming any method.
/// </summary>
/// <remarks>
/// The rule looks at what a type <em>is</em> (its base types), not at its name, so a subclass in another namespace
/// is caught too; and at every type a name mentions (a <c>List&lt;SafeFileHandle&gt;</c>, a
/// <c>SafeFileHandle[]</c>), since Hyperion reads the elements of a sealed element type without naming them again.
/// Refused:
/// <list type="bullet">
/// <item>critical-finalizer objects: <see cref="SafeHandle"/>, <see cref="CriticalHandle"/>, threads;</item>
/// <item>any other type with a finalizer, unless it is the runtime's own: the finalizer would run on fields the
/// bytes chose (sockets, timers, weak references, native buffers...);</item>
/// <item><see cref="MarshalByRefObject"/>s: streams, processes, wait handles, timers, app domains: live resources,
/// not data;</item>
/// <item>delegates, which name a method to call; reflection objects (<see cref="MemberInfo"/> including
/// <see cref="Type"/>, <see cref="Assembly"/>, <see cref="Module"/>, <see cref="ParameterInfo"/>, anything in
/// <c>System.Reflection</c> but its enums); <see cref="FileSystemInfo"/> (files and directories);</item>
/// <item>pointers and by-reference types.</item>
/// </list>
/// Hyperion's own list of known gadgets (<c>DisallowUnsafeTypes</c>, matched by name) applies as well.
/// </remarks>
internal static class DangerousTypes
{
    private static readonly Assembly Ours = typeof(DangerousTypes).Assembly;

    /// <summary>Why <paramref name="type"/> (or a type it is made of) is refused, or <c>null</c> when it is not.</summary>
    public static (Type Culprit, string Reason)? WhyRefused(Type type)
    {
        if (type.IsGenericParameter) return null;
        if (type.IsPointer || type.IsByRef || type.IsFunctionPointer) return (type, "a pointer, which reads memory at an address the bytes chose");
        if (type.HasElementType) return WhyRefused(type.GetElementType()!);
        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                if (WhyRefused(argument) is { } refused) return refused;
            }
        }
        return ReasonFor(type) is { } reason ? (type, reason) : null;
    }

    private static string? ReasonFor(Type type)
    {
        if (typeof(CriticalFinalizerObject).IsAssignableFrom(type))
        {
            return "an operating-system handle or thread: when collected, its finalizer would close or free whatever the bytes named";
        }
        if (typeof(Delegate).IsAssignableFrom(type)) return "a delegate, which names an arbitrary method to call";
        if (typeof(MarshalByRefObject).IsAssignableFrom(type))
        {
            return "a live resource (stream, process, wait handle, timer...), not data";
        }
        if (typeof(FileSystemInfo).IsAssignableFrom(type)) return "a file or directory of this machine";
        if (typeof(MemberInfo).IsAssignableFrom(type) || typeof(Assembly).IsAssignableFrom(type)
            || typeof(Module).IsAssignableFrom(type) || typeof(ParameterInfo).IsAssignableFrom(type)
            || (IsInReflectionNamespace(type) && !type.IsEnum))
        {
            return "a reflection object (type, member, assembly), which gives access to arbitrary code";
        }
        if (HasFinalizer(type) && type.Assembly != Ours)
        {
            return "a type with a finalizer, which would run on fields the bytes chose";
        }
        return null;
    }

    private static bool IsInReflectionNamespace(Type type) =>
        type.Namespace is { } ns && (ns == "System.Reflection" || ns.StartsWith("System.Reflection.", StringComparison.Ordinal));

    // Finalize is declared by object; a type has a finalizer when it, or a base type below object, overrides it.
    private static bool HasFinalizer(Type type)
    {
        if (type.IsValueType || type.IsInterface) return false;
        var finalize = type.GetMethod("Finalize", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public,
            binder: null, types: Type.EmptyTypes, modifiers: null);
        return finalize is not null && finalize.DeclaringType != typeof(object);
    }
}
