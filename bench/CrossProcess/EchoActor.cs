using Akka.Actor;

namespace XStateNet.Actors.Bench.CrossProcess;

/// <summary>Sends every message back to its sender.</summary>
internal sealed class EchoActor : UntypedActor
{
    public static Props Props() => Akka.Actor.Props.Create(() => new EchoActor());

    protected override void OnReceive(object message) => Sender.Tell(message);
}
