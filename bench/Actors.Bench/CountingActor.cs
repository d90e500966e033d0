using Akka.Actor;

namespace XStateNet.Actors.Bench.Actors;

/// <summary>The reference: a bare actor doing the least a handler can do with the same messages.</summary>
internal sealed class CountingActor : ReceiveActor
{
    public CountingActor(RoundCounter counter)
    {
        Receive<MachineEvent>(_ => counter.Count());
    }
}
