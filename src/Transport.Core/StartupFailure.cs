using System.Reflection;
using Akka.Actor;
using Akka.Configuration;
using Akka.Remote;

namespace XStateNet.Actors.Transport;

/// <summary>
/// Turns Akka's "Remoting error: [Startup failed]" into an exception whose first line says what went wrong.
/// </summary>
/// <remarks>
/// When a transport throws while remoting starts (its settings constructor refusing <c>ring-size = 5000</c>, a pipe
/// directory that does not exist), <c>ActorSystem.Create</c> throws an <see cref="AggregateException"/> around an
/// <see cref="AggregateException"/> around a <see cref="TargetInvocationException"/> around the transport's own
/// exception, and the log says only "Startup failed". A user reads the first line; that line must carry the key and
/// the problem.
/// </remarks>
internal static class StartupFailure
{
    /// <summary>
    /// The exception to throw instead of <paramref name="failure"/>: a <see cref="ConfigurationException"/> when the
    /// cause was one, otherwise a <see cref="RemoteTransportException"/>; both have the cause's message first and keep
    /// <paramref name="failure"/> as their inner exception. Null when there is nothing deeper to tell.
    /// </summary>
    public static Exception? Explain(Exception failure, Config config)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var cause = Cause(failure);
        if (ReferenceEquals(cause, failure) && failure is ConfigurationException) return null;
        var transports = config.GetStringList("akka.remote.enabled-transports", []);
        var message = $"{cause.Message} (remoting could not start; akka.remote.enabled-transports = [{string.Join(", ", transports)}])";
        return cause is ConfigurationException
            ? new ConfigurationException(message, failure)
            : new RemoteTransportException(message, failure);
    }

    /// <summary>The innermost exception that is not only a wrapper around another.</summary>
    internal static Exception Cause(Exception failure)
    {
        var current = failure;
        while (true)
        {
            var inner = current switch
            {
                AggregateException { InnerExceptions.Count: 1 } aggregate => aggregate.InnerExceptions[0],
                TargetInvocationException { InnerException: { } invoked } => invoked,
                TypeInitializationException { InnerException: { } initialized } => initialized,
                // Akka's own wrappers: "Startup failed", "Remoting error" and the like say nothing of their own.
                RemoteTransportException { InnerException: { } wrapped } => wrapped,
                AkkaException { InnerException: { } wrapped } when current.GetType() == typeof(AkkaException) => wrapped,
                _ => null,
            };
            if (inner is null) return current;
            current = inner;
        }
    }
}
