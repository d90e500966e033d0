using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using PackageSerializer = Akka.Serialization.HyperionSerializer;

namespace XStateNet.Actors.Serialization;

/// <summary>
/// Akka serializer that writes messages with Hyperion: user messages and their payloads (records, collections,
/// dictionaries, nested objects) cross processes without attributes or schemas. Bound, as <c>hyperion</c>, for every
/// message without a more specific serializer by the runtime's reference.conf (machine events have
/// <see cref="MachineEventSerializer"/>).
/// </summary>
/// <remarks>
/// It is Akka.Serialization.Hyperion's serializer, configured by that package's section and
/// <see cref="Akka.Serialization.Hyperion.HyperionSerializerSetup"/>, with what the runtime adds: every read goes
/// through the runtime's guard (depth, object count, declared lengths, namespaces in <c>allowed-types</c>), which the
/// package's own read (a <see cref="MemoryStream"/> handed straight to Hyperion) has no place for, and anonymous
/// payloads of machine events are made portable before they are written.
/// </remarks>
/// <remarks>
/// Failures surface as <see cref="SerializationException"/>: Akka's endpoints log those for the one message and
/// keep the association up, so a refused or corrupt payload never takes a connection down.
/// </remarks>
public sealed class HyperionSerializer : PackageSerializer
{
    /// <summary>The serializer id written with every message (Akka reserves 0–100 for itself).</summary>
    public const int SerializerIdentifier = 2749;

    private readonly GuardedHyperion _hyperion;

    /// <summary>Created by Akka with the <c>akka.actor.serialization-settings.hyperion</c> section.</summary>
    public HyperionSerializer(ExtendedActorSystem system, Config config)
        : this(system, HyperionSettings.From(config).WithSetupOf(system))
    {
    }

    /// <summary>Creates the serializer with explicit settings.</summary>
    public HyperionSerializer(ExtendedActorSystem system, HyperionSettings settings)
        : base(system, (settings ?? throw new ArgumentNullException(nameof(settings))).Engine)
    {
        _hyperion = new GuardedHyperion(system, settings);
    }

    /// <summary>The settings this serializer runs with: Hyperion's (also in the package's <c>Settings</c>) and the runtime's read limits.</summary>
    public HyperionSettings RuntimeSettings => _hyperion.Settings;

    /// <summary>The guarded Hyperion engine behind this serializer.</summary>
    internal GuardedHyperion Engine => _hyperion;

    /// <inheritdoc />
    public override int Identifier => SerializerIdentifier;

    /// <inheritdoc />
    public override bool IncludeManifest => false;

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        // A machine event written by this serializer directly (a tool, a test) still gets its anonymous payload made portable.
        var portable = obj is MachineEvent machineEvent ? PortablePayload.Of(machineEvent) : obj;
        var buffer = PooledWriteBuffer.Rent();
        try
        {
            _hyperion.Write(portable, buffer);
            return buffer.ToArray();
        }
        finally
        {
            PooledWriteBuffer.Return(buffer);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Reads through a <see cref="GuardedReadStream"/>, so a message too deep or too large for the limits is refused
    /// before it can overflow the stack, and a type that is refused never gets an instance. A message deeper than
    /// ordinary ones is read again on a thread of its own, whose stack fits <c>max-depth</c> levels and the worst
    /// cascade of exceptions Hyperion could throw out of them.
    /// </remarks>
    public override object FromBinary(byte[] bytes, Type? type)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return _hyperion.Read(bytes, 0)!;
    }
}
