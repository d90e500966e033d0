using Akka.Actor;

namespace XStateNet.Actors.Transport.SameHost.Tests;

/// <summary>Answers every message with itself: the test node's /user/target, as the children have one.</summary>
internal sealed class Echo : ReceiveActor
{
    public Echo() => ReceiveAny(message => Sender.Tell(message));
}
