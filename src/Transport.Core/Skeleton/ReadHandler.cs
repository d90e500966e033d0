using Akka.Remote.Transport;

namespace XStateNet.Actors.Transport;

/// <summary>The one way a transport's reader waits for the listener Akka registers on an association before it reads.</summary>
internal static class ReadHandler
{
    /// <summary>
    /// Akka's read handler of <paramref name="handle"/> once registered, or null when <paramref name="stop"/> fires first
    /// (the association closed before Akka took it up). Nothing is read before: Akka would have nowhere to put it.
    /// </summary>
    public static async Task<IHandleEventListener?> WaitAsync(AssociationHandle handle, CancellationToken stop)
    {
        var registration = handle.ReadHandlerSource.Task;
        if (!registration.IsCompleted)
        {
            try
            {
                await registration.WaitAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }

        return registration.IsCompletedSuccessfully ? registration.Result : null;
    }
}
