using Akka.Actor;

namespace XStateNet.Actors.TestKit;

/// <summary>
/// The test node's end of the children's probe route: answers <see cref="Identify"/> like any actor (so machines
/// resolve and watch it) and hands everything else to the spec's probe.
/// </summary>
internal sealed class ProbeRelay : ReceiveActor
{
    public ProbeRelay(IActorRef probe) => ReceiveAny(message => probe.Forward(message));
}
