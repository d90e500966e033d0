using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Hyperion;
using Hyperion.Internal;
using AkkaSerializer = Akka.Serialization.Serializer;
using AkkaSerialization = Akka.Serialization.Serialization;
using HyperionEngine = Hyperion.Serializer;

namespace XStateNet.Actors.Serialization;

/// <summary>
/// Akka serializer that writes messages with Hyperion: machine events and their payloads (records, collections,
/// dictionaries, nested objects; anonymous payloads travel as dictionaries) cross processes without attributes or
/// schemas. Bound for every message without a more specific serializer by the runtime's reference.conf.
/// </summary>
/// <remarks>
/// Failures surface as <see cref="SerializationException"/>: Akka's endpoints log those for the one message and
/// keep the association up, so a refused or corrupt payload never takes a connection down.
/// </remarks>
public sealed class HyperionSerializer : AkkaSerializer
{
    /// <summary>The serializer id written with every message (Akka reserves 0–100 for itself).</summary>
    public const int SerializerIdentifier = 2749;

    private readonly HyperionEngine _hyperion;

    /// <summary>Created by Akka with the <c>akka.actor.serialization-settings.xstatenet-hyperion</c> section.</summary>
    public HyperionSerializer(ExtendedActorSystem system, Config config)
        : this(system, HyperionSettings.From(config))
    {
    }

    /// <summary>Creates the serializer with explicit settings.</summary>
    public HyperionSerializer(ExtendedActorSystem system, HyperionSettings settings) : base(system)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        var actorRefs = Surrogate.Create<IActorRef, ActorRefSurrogate>(
            actorRef => new ActorRefSurrogate(AkkaSerialization.SerializedActorPath(actorRef)),
            surrogate => system.Provider.ResolveActorRef(surrogate.Path));
        var typeFilter = settings.AllowedTypes.Count == 0
            ? DisabledTypeFilter.Instance
            : (ITypeFilter)new AllowedTypeFilter(settings.AllowedTypes);
        _hyperion = new HyperionEngine(new SerializerOptions(
            versionTolerance: settings.VersionTolerance,
            preserveObjectReferences: settings.PreserveObjectReferences,
            surrogates: [actorRefs],
            serializerFactories: null,
            knownTypes: null,
            ignoreISerializable: true,
            packageNameOverrides: null,
            disallowUnsafeTypes: settings.DisallowUnsafeTypes || settings.AllowedTypes.Count > 0,
            typeFilter: typeFilter));
    }

    /// <summary>The settings this serializer runs with.</summary>
    public HyperionSettings Settings { get; }

    /// <inheritdoc />
    public override int Identifier => SerializerIdentifier;

    /// <inheritdoc />
    public override bool IncludeManifest => false;

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        var portable = obj is MachineEvent machineEvent ? PortablePayload.Of(machineEvent) : obj;
        try
        {
            using var stream = new MemoryStream();
            _hyperion.Serialize(portable, stream);
            return stream.ToArray();
        }
        catch (Exception error)
        {
            throw new SerializationException(
                $"Hyperion could not write a message of type {obj?.GetType().FullName ?? "null"}: {error.Message}", error);
        }
    }

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, Type? type)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            return _hyperion.Deserialize(stream);
        }
        catch (Exception error)
        {
            throw Refusal(error) is { } refused
                ? new SerializationException(
                    $"Refused to read a Hyperion message of type {refused.BadTypeString}: " +
                    (refused is UserEvilDeserializationException
                        ? "it is not in akka.actor.serialization-settings.xstatenet-hyperion.allowed-types."
                        : "Hyperion lists it as unsafe to create from untrusted bytes (disallow-unsafe-types = on)."),
                    error)
                : new SerializationException(
                    $"Could not read a {bytes.Length}-byte Hyperion message: the bytes are corrupt, truncated or come " +
                    $"from an incompatible peer ({error.GetType().Name}: {error.Message})", error);
        }
    }

    // Hyperion wraps a refusal met inside an object graph in its own exception; the cause says which type it was.
    private static EvilDeserializationException? Refusal(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is EvilDeserializationException refused) return refused;
        }
        return null;
    }
}
