using System.Runtime.Serialization;
using Akka.Actor;
using AkkaSerializer = Akka.Serialization.Serializer;

namespace XStateNet.Actors;

/// <summary>
/// Writes an <see cref="EncodedMachineEvent"/> as its bytes, without serializing anything again; reads them with the
/// serializer bound to <see cref="MachineEvent"/> (the runtime's Hyperion serializer, with all its read checks), so
/// the receiver's mailbox gets a plain <see cref="MachineEvent"/>.
/// </summary>
/// <remarks>Bound to <see cref="EncodedMachineEvent"/> by the runtime's reference.conf.</remarks>
internal sealed class EncodedMachineEventSerializer(ExtendedActorSystem system) : AkkaSerializer(system)
{
    /// <summary>The serializer id written with every encoded event (next to Hyperion's 2749).</summary>
    public const int SerializerIdentifier = 2750;

    private AkkaSerializer? _events;

    /// <inheritdoc />
    public override int Identifier => SerializerIdentifier;

    /// <inheritdoc />
    public override bool IncludeManifest => false;

    /// <inheritdoc />
    public override byte[] ToBinary(object obj) => obj is EncodedMachineEvent encoded
        ? encoded.Bytes
        : throw new SerializationException($"{nameof(EncodedMachineEventSerializer)} writes only {nameof(EncodedMachineEvent)}, not {obj?.GetType().FullName ?? "null"}");

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, Type? type)
    {
        _events ??= system.Serialization.FindSerializerForType(typeof(MachineEvent));
        var read = _events.FromBinary(bytes, typeof(MachineEvent));
        return read as MachineEvent
            ?? throw new SerializationException($"An encoded machine event held a {read?.GetType().FullName ?? "null"}, not a {nameof(MachineEvent)}");
    }
}
