using Akka.Remote.Transport;

namespace XStateNet.Actors.Transport;

/// <summary>How a transport tells Akka that one of its associations ended.</summary>
internal static class DisassociationNotice
{
    /// <summary>
    /// Delivers <see cref="Disassociated"/> with <paramref name="info"/> to the listener Akka registers on
    /// <paramref name="handle"/>: at once if it has registered, otherwise when it does.
    /// </summary>
    /// <remarks>
    /// Use <see cref="DisassociateInfo.Shutdown"/> when the peer's process is known to have exited (after
    /// <see cref="PeerLiveness.ReportGone"/>): Akka's endpoint manager then gates the address and stops the old
    /// endpoint before the remote watcher quarantines it. <see cref="DisassociateInfo.Unknown"/> otherwise.
    /// </remarks>
    public static void Send(AssociationHandle handle, DisassociateInfo info)
    {
        ArgumentNullException.ThrowIfNull(handle);
        handle.ReadHandlerSource.Task.ContinueWith(
            static (registration, state) => registration.Result.Notify(new Disassociated((DisassociateInfo)state!)),
            info, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }
}
