using Akka.Actor;

namespace XStateNet.Actors.Transport.Pipes.Tests.Specs;

/// <summary>Answers every message with itself.</summary>
internal sealed class Echo : ReceiveActor
{
    public Echo() => ReceiveAny(message => Sender.Tell(message));

    public static Props Props() => Akka.Actor.Props.Create(() => new Echo());
}
