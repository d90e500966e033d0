namespace XStateNet.Actors.Serialization;

/// <summary>An actor reference on the wire: its path, with the sending node's address, resolved again on arrival.</summary>
/// <param name="Path">The serialized actor path.</param>
internal sealed record ActorRefSurrogate(string Path);
