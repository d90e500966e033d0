using Akka.Actor;
using Akka.Remote;

namespace XStateNet.Actors.Transport;

/// <summary>
/// The remote watcher's failure detector, extended with what the transports know: an address whose process a
/// transport reported gone is unavailable as soon as Akka has let go of its association
/// (<see cref="PeerLiveness.CanDeclareDead"/>), whatever its heartbeat history says.
/// </summary>
/// <remarks>
/// And with what this process knows about itself: right after this process was paused longer than the detector's
/// allowance (<paramref name="acceptablePause"/>), every peer's last heartbeat looks that old, so judging by it would
/// declare live peers dead and quarantine them, which they could only undo by restarting. In the shadow of such a
/// pause (<see cref="ProcessPauses.InPauseShadow"/>, for one more allowance while fresh heartbeats come in) every peer
/// counts as available; it is this node that was gone, and its recovery restarts it.
/// <para>
/// And with what the transports see of the traffic: a peer whose bytes arrived within the allowance
/// (<see cref="PeerLiveness.HeardWithin"/>) is available even when its heartbeats are late. Heartbeats share the
/// association with the data, and under a flood they queue behind it for seconds; the peer is not dead for that.
/// </para>
/// </remarks>
internal sealed class LivenessAwareFailureDetectorRegistry(
    IFailureDetectorRegistry<Address> heartbeats,
    PeerLiveness liveness,
    TimeSpan acceptablePause,
    Func<TimeSpan, TimeSpan, bool>? inPauseShadow = null) : IFailureDetectorRegistry<Address>
{
    private readonly TimeSpan _shadow = acceptablePause + acceptablePause;
    private readonly Func<TimeSpan, TimeSpan, bool> _inPauseShadow = inPauseShadow ?? ProcessPauses.InPauseShadow;

    public bool IsAvailable(Address resource) =>
        _inPauseShadow(acceptablePause, _shadow)
        || (!liveness.CanDeclareDead(resource)
            && (heartbeats.IsAvailable(resource) || liveness.HeardWithin(resource, acceptablePause)));

    public bool IsMonitoring(Address resource) => heartbeats.IsMonitoring(resource);

    public void Heartbeat(Address resource) => heartbeats.Heartbeat(resource);

    public void Remove(Address resource) => heartbeats.Remove(resource);

    public void Reset() => heartbeats.Reset();
}
