using Akka.Actor;
using Akka.Remote;

namespace XStateNet.Actors.Transport.Tests;

/// <summary>Akka's heartbeat failure detector as it is when every heartbeat is late: no peer is available by it.</summary>
internal sealed class NeverAvailable : IFailureDetectorRegistry<Address>
{
    public bool IsAvailable(Address resource) => false;
    public bool IsMonitoring(Address resource) => true;
    public void Heartbeat(Address resource) { }
    public void Remove(Address resource) { }
    public void Reset() { }
}
