using System.Runtime.Serialization;

namespace XStateNet.Actors.Serialization;

/// <summary>
/// Reading stopped on purpose: the message broke a limit or named a type that is refused. Thrown from deep inside
/// Hyperion (the guarded stream, the type filter), which may wrap it in its own exceptions on the way out;
/// <see cref="HyperionSerializer"/> finds it in the chain and reports its message as the error.
/// </summary>
internal sealed class PayloadRefusedException(string message) : SerializationException(message);
