using Akka.Actor;

namespace XStateNet.Actors.Discovery;

/// <summary>Where the host directory says a machine runs.</summary>
/// <param name="Path">The machine's full actor path on its node.</param>
/// <param name="Owner">The node, for messages: its address and pid.</param>
internal sealed record DirectoryListing(ActorPath Path, string Owner);
