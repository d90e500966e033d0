using Akka.Actor;
using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Inspection;

/// <summary>A machine actor running in this actor system.</summary>
/// <param name="Id">The machine id.</param>
/// <param name="Chart">The chart it runs (to draw it).</param>
/// <param name="Actor">The actor; ask it <see cref="GetMachineSnapshot"/> for its state and context.</param>
public sealed record ObservedMachine(string Id, Statechart Chart, IActorRef Actor);
