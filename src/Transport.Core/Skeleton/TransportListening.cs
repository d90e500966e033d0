using Akka.Actor;
using Akka.Remote.Transport;

namespace XStateNet.Actors.Transport;

/// <summary>How a transport's <see cref="Akka.Remote.Transport.Transport.Listen"/> must report failure.</summary>
internal static class TransportListening
{
    /// <summary>
    /// Runs <paramref name="startListening"/> and hands its result, or its exception, back through the task.
    /// </summary>
    /// <remarks>
    /// Akka's endpoint manager starts every transport's <c>Listen</c> inside one <c>Task.WhenAll</c>; a synchronous
    /// throw there kills the manager without failing the start, so <c>ActorSystem.Create</c> hangs instead of
    /// reporting, say, a taken port. A faulted task fails the start with the transport's own message.
    /// </remarks>
    public static Task<(Address, TaskCompletionSource<IAssociationEventListener>)> Start(
        Func<(Address, TaskCompletionSource<IAssociationEventListener>)> startListening)
    {
        ArgumentNullException.ThrowIfNull(startListening);
        try
        {
            return Task.FromResult(startListening());
        }
        catch (Exception e)
        {
            return Task.FromException<(Address, TaskCompletionSource<IAssociationEventListener>)>(e);
        }
    }
}
