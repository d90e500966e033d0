namespace XStateNet.Actors;

/// <summary>
/// A <see cref="MachineEvent"/> already serialized by the machine that sends it to another process, so its size
/// was known (and checked against the payload limit) before it was handed to Akka. Its serializer
/// (<see cref="EncodedMachineEventSerializer"/>) writes the bytes and their manifest as they are, and the receiving
/// side reads them back into the <see cref="MachineEvent"/>: the target machine never sees this type.
/// </summary>
internal sealed class EncodedMachineEvent(byte[] bytes, string manifest)
{
    /// <summary>The event as the serializer bound to <see cref="MachineEvent"/> wrote it.</summary>
    public byte[] Bytes { get; } = bytes;

    /// <summary>The manifest that serializer gave the event (empty when it writes none).</summary>
    public string Manifest { get; } = manifest;
}
