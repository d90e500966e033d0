using Akka.Actor;
using Akka.Event;
using Akka.Remote.Transport;

namespace XStateNet.Actors.Transport;

/// <summary>
/// The one way a same-host transport judges that a peer's process is gone, and the one way it reports it.
/// </summary>
/// <remarks>
/// An association that ends without a goodbye is how a killed process looks, but a live one whose connection broke
/// looks the same, and telling <see cref="PeerLiveness"/> wrongly would quarantine a live peer. So the verdict is the
/// process id's: the peer is gone when the kernel no longer runs it. Its pid must be the kernel's word
/// (<c>SO_PEERCRED</c>), never the peer's own claim; 0 (unknown, or another pid namespace) and this process are never
/// judged.
/// </remarks>
internal static class PeerExit
{
    /// <summary>How often <see cref="HasExitedAsync"/> looks again while it waits.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    /// <summary>Whether process <paramref name="pid"/> can be judged at all (known, and not this process).</summary>
    public static bool CanJudge(int pid) => pid > 0 && pid != Environment.ProcessId;

    /// <summary>
    /// True when process <paramref name="pid"/> has exited, or does so within <paramref name="grace"/> (a process that
    /// is being killed may still run for a moment after its connection ended). False for a pid that cannot be judged.
    /// </summary>
    public static async ValueTask<bool> HasExitedAsync(int pid, TimeSpan grace)
    {
        if (!CanJudge(pid)) return false;
        var deadline = DateTime.UtcNow + grace;
        while (ProcessLiveness.IsRunning(pid))
        {
            if (DateTime.UtcNow >= deadline) return false;
            await Task.Delay(PollInterval).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>
    /// Reports the peer of <paramref name="handle"/> gone: to <see cref="PeerLiveness"/> (remote DeathWatch then delivers
    /// <c>Terminated</c> at its next reaper tick), to the log, and to Akka as the association's end.
    /// </summary>
    /// <param name="system">The transport's system (its <see cref="PeerLiveness"/>).</param>
    /// <param name="log">The transport's log.</param>
    /// <param name="handle">The association whose peer is gone; Akka's listener on it is told.</param>
    /// <param name="pid">The peer's process id, in the kernel's word.</param>
    /// <param name="reason">Why it is judged gone, for the log and <see cref="PeerLiveness.GoneReason"/>.</param>
    /// <param name="detection">From the peer's last sign of life the transport saw to now (the verdict's latency, for the meter).</param>
    /// <param name="exited">
    /// True when the process is known to have exited: Akka is told <see cref="DisassociateInfo.Shutdown"/>, so its endpoint
    /// manager gates the address and stops the old endpoint before the remote watcher quarantines it (see
    /// <see cref="PeerLiveness.CanDeclareDead"/>). False when it has only stopped answering (it may come back with the
    /// same uid, so its endpoint keeps its unacknowledged system messages): <see cref="DisassociateInfo.Unknown"/>.
    /// </param>
    public static void Report(ActorSystem system, ILoggingAdapter log, AssociationHandle handle, int pid, string reason, bool exited, TimeSpan detection)
    {
        if (Telemetry.TelemetrySwitches.For(system).Metrics) Telemetry.TransportMetrics.RecordVerdict(handle.LocalAddress.Protocol, handle.RemoteAddress, exited, detection);
        PeerLiveness.For(system).ReportGone(handle.RemoteAddress, pid, reason);
        log.Warning("Peer {0} (process {1}) is gone: {2}. Disassociating.", handle.RemoteAddress, pid, reason);
        DisassociationNotice.Send(handle, exited ? DisassociateInfo.Shutdown : DisassociateInfo.Unknown);
    }
}
