using Akka.Actor;

namespace XStateNet.Actors.MultiProcess.Tests.Harness;

/// <summary>
/// The test process's end of the children's <c>report</c> machine id: answers <see cref="Identify"/> like any
/// actor (so machines resolve and watch it) and hands every report to the spec's probe.
/// </summary>
internal sealed class ReportRelay : ReceiveActor
{
    public ReportRelay(IActorRef probe) => ReceiveAny(message => probe.Forward(message));
}
