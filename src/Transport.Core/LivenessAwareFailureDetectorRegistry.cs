using Akka.Actor;
using Akka.Remote;

namespace XStateNet.Actors.Transport;

/// <summary>
/// The remote watcher's failure detector, extended with what the transports know: an address whose process a
/// transport reported gone is unavailable as soon as Akka has let go of its association
/// (<see cref="PeerLiveness.CanDeclareDead"/>), whatever its heartbeat history says.
/// </summary>
internal sealed class LivenessAwareFailureDetectorRegistry(
    IFailureDetectorRegistry<Address> heartbeats,
    PeerLiveness liveness) : IFailureDetectorRegistry<Address>
{
    public bool IsAvailable(Address resource) => !liveness.CanDeclareDead(resource) && heartbeats.IsAvailable(resource);

    public bool IsMonitoring(Address resource) => heartbeats.IsMonitoring(resource);

    public void Heartbeat(Address resource) => heartbeats.Heartbeat(resource);

    public void Remove(Address resource) => heartbeats.Remove(resource);

    public void Reset() => heartbeats.Reset();
}
