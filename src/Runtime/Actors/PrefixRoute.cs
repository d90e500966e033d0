using Akka.Actor;

namespace XStateNet.Actors;

/// <summary>
/// Every machine id starting with <see cref="Prefix"/> goes to one actor that takes messages addressed by id (a
/// shard region): the message told to it is <see cref="Address"/>(id, message). Set with
/// <see cref="MachineRoutes.SetPrefixRoute(string, IActorRef, Func{string, object, object}, bool)"/>. When
/// <see cref="Acknowledged"/>, machines send to it on acknowledged channels (<see cref="AcknowledgedSends"/>).
/// </summary>
internal sealed record PrefixRoute(string Prefix, IActorRef Target, Func<string, object, object> Address, bool Acknowledged = false);
