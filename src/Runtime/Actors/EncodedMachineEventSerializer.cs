using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using AkkaSerializer = Akka.Serialization.Serializer;

namespace XStateNet.Actors;

/// <summary>
/// Writes an <see cref="EncodedMachineEvent"/> as its bytes and manifest, without serializing anything again; reads
/// them with the serializer bound to <see cref="MachineEvent"/> (<see cref="Serialization.MachineEventSerializer"/>,
/// with all its read checks), so the receiver's mailbox gets a plain <see cref="MachineEvent"/>.
/// </summary>
/// <remarks>Bound to <see cref="EncodedMachineEvent"/> by the runtime's reference.conf.</remarks>
internal sealed class EncodedMachineEventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>The serializer id written with every encoded event (next to Hyperion's 2749).</summary>
    public const int SerializerIdentifier = 2750;

    private AkkaSerializer? _events;

    /// <inheritdoc />
    public override int Identifier => SerializerIdentifier;

    /// <inheritdoc />
    public override string Manifest(object o) => Encoded(o).Manifest;

    /// <inheritdoc />
    public override byte[] ToBinary(object obj) => Encoded(obj).Bytes;

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        _events ??= system.Serialization.FindSerializerForType(typeof(MachineEvent));
        var read = _events is SerializerWithStringManifest withManifest
            ? withManifest.FromBinary(bytes, manifest)
            : _events.FromBinary(bytes, typeof(MachineEvent));
        return read as MachineEvent
            ?? throw new SerializationException($"An encoded machine event held a {read?.GetType().FullName ?? "null"}, not a {nameof(MachineEvent)}");
    }

    private static EncodedMachineEvent Encoded(object obj) => obj as EncodedMachineEvent
        ?? throw new SerializationException($"{nameof(EncodedMachineEventSerializer)} writes only {nameof(EncodedMachineEvent)}, not {obj?.GetType().FullName ?? "null"}");
}
