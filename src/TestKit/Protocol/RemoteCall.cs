using System.Reflection;

namespace XStateNet.Actors.TestKit.Protocol;

/// <summary>
/// A lambda of the spec, run in a child. Both processes load the same test assembly, so a lambda travels as the
/// name of its compiled method and type and the child calls that method. Only lambdas that take nothing with them
/// can travel: no captured variable, no <c>this</c> (the spec object lives in the test process only); values go
/// as the argument, which crosses like a message.
/// </summary>
internal static class RemoteCall
{
    private const BindingFlags AnyMethod = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    /// <summary>The message that runs <paramref name="assertion"/> on a node.</summary>
    /// <exception cref="ArgumentException">The delegate captures state, or is not one method; the message says what to change.</exception>
    public static RunAssertion Encode(Delegate assertion, bool withArgument, object? argument)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        if (assertion.GetInvocationList().Length != 1) throw new ArgumentException("a remote assertion must be one method, not a multicast delegate", nameof(assertion));
        var method = assertion.Method;
        var type = method.DeclaringType ?? throw new ArgumentException("a remote assertion must be a method of a type", nameof(assertion));
        if (assertion.Target is { } target)
        {
            var fields = target.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
            if (fields.Length > 0)
            {
                throw new ArgumentException(
                    $"the remote assertion {method.Name} captures {string.Join(", ", fields.Select(f => f.Name))} of {target.GetType().Name}: " +
                    "it runs in another process, where those do not exist. Make the lambda static and pass values as its argument " +
                    "(RunOn(role, argument, static (node, argument) => ...)).", nameof(assertion));
            }
        }
        if (type.IsGenericTypeDefinition || method.IsGenericMethod) throw new ArgumentException($"the remote assertion {method.Name} is generic", nameof(assertion));
        return new RunAssertion(type.AssemblyQualifiedName!, method.Name, withArgument, argument);
    }

    /// <summary>Runs the assertion on this node (the child's part).</summary>
    /// <exception cref="InvalidOperationException">The method is not in this process's assemblies (the child runs another build).</exception>
    public static async Task Invoke(RunAssertion call, NodeContext node)
    {
        var type = Type.GetType(call.TypeName, throwOnError: false)
            ?? throw new InvalidOperationException($"the type {call.TypeName} is not loaded in the child: it must run the test assembly's own build");
        var parameters = call.WithArgument ? 2 : 1;
        var method = type.GetMethods(AnyMethod).SingleOrDefault(m => m.Name == call.MethodName && m.GetParameters().Length == parameters)
            ?? throw new InvalidOperationException($"{type.Name} has no method {call.MethodName} with {parameters} parameter(s)");
        var target = method.IsStatic ? null : Singleton(type);
        object?[] arguments = call.WithArgument ? [node, call.Argument] : [node];
        object? result;
        try
        {
            result = method.Invoke(target, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
        if (result is Task task) await task.ConfigureAwait(false);
    }

    /// <summary>The instance a non-capturing lambda's method is called on: the compiler's cached one, or a new one (it has no state).</summary>
    private static object Singleton(Type type) =>
        type.GetField("<>9", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)?.GetValue(null)
        ?? Activator.CreateInstance(type, nonPublic: true)
        ?? throw new InvalidOperationException($"cannot create {type.Name} to run its method");
}
