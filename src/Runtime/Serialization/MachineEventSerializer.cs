using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace XStateNet.Actors.Serialization;

/// <summary>
/// Akka serializer of <see cref="MachineEvent"/>: the event's name and sender id in a small header of its own, its
/// payload after them (byte arrays and strings as they are, anything else through Hyperion with every read check
/// of <see cref="HyperionSerializer"/>). Bound to <see cref="MachineEvent"/> by the runtime's reference.conf.
/// </summary>
/// <remarks>
/// <para>
/// Written into a pooled buffer and copied once into the array Akka sends. Anonymous payloads become dictionaries
/// first (<see cref="PortablePayload"/>), so the receiver reads them through <c>dynamic</c> as the sender wrote them.
/// </para>
/// <para>
/// The manifest names the layout (<see cref="ManifestV1"/>), so a later layout can be read beside this one. The
/// header's lengths are checked against the bytes that are there and its strings must be valid UTF-8; a refused
/// or corrupt event raises a <see cref="SerializationException"/> for that one message.
/// </para>
/// </remarks>
public sealed class MachineEventSerializer : SerializerWithStringManifest
{
    /// <summary>The serializer id written with every machine event (next to Hyperion's 2749 and the encoded events' 2750).</summary>
    public const int SerializerIdentifier = 2751;

    /// <summary>The manifest of the first layout: header, then the payload.</summary>
    public const string ManifestV1 = "E1";

    private readonly GuardedHyperion _payloads;

    /// <summary>Created by Akka; reads its Hyperion settings from <c>akka.actor.serialization-settings.hyperion</c>.</summary>
    public MachineEventSerializer(ExtendedActorSystem system) : base(system)
    {
        _payloads = new GuardedHyperion(system, HyperionSettings.For(system));
    }

    /// <inheritdoc />
    public override int Identifier => SerializerIdentifier;

    /// <inheritdoc />
    public override string Manifest(object o) => o is MachineEvent
        ? ManifestV1
        : throw new SerializationException($"{nameof(MachineEventSerializer)} writes only {nameof(MachineEvent)}, not {o?.GetType().FullName ?? "null"}");

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        if (obj is not MachineEvent machineEvent)
            throw new SerializationException($"{nameof(MachineEventSerializer)} writes only {nameof(MachineEvent)}, not {obj?.GetType().FullName ?? "null"}");
        var buffer = PooledWriteBuffer.Rent();
        try
        {
            MachineEventLayout.Write(machineEvent, buffer, _payloads);
            return buffer.ToArray();
        }
        finally
        {
            PooledWriteBuffer.Return(buffer);
        }
    }

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return manifest switch
        {
            ManifestV1 => MachineEventLayout.Read(bytes, _payloads),
            _ => throw new SerializationException(
                $"A machine event came with manifest '{manifest}', which this node cannot read (it reads '{ManifestV1}'): " +
                "the peer runs another version of XStateNet.Actors."),
        };
    }
}
