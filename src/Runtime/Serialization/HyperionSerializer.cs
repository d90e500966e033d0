using System.Runtime.ExceptionServices;
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
    private readonly int _ownThreadStackBytes;

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
        settings.Validate();
        _ownThreadStackBytes = GuardedReadStream.StackBytesFor(settings.MaxDepth);
        // Hyperion consults a type filter only while its unsafe-type check is on: turned on as soon as anything
        // is to be refused (dangerous types, or types not on the allow-list).
        var allowList = settings.AllowedTypes.Count == 0 ? null : new AllowedTypeFilter(settings.AllowedTypes);
        var filtering = settings.DisallowUnsafeTypes || allowList is not null;
        _hyperion = new HyperionEngine(new SerializerOptions(
            versionTolerance: settings.VersionTolerance,
            preserveObjectReferences: settings.PreserveObjectReferences,
            surrogates: [actorRefs],
            serializerFactories: null,
            knownTypes: null,
            ignoreISerializable: true,
            packageNameOverrides: null,
            disallowUnsafeTypes: filtering,
            typeFilter: filtering ? new ReadTypeFilter(settings.DisallowUnsafeTypes, allowList) : DisabledTypeFilter.Instance));
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
    /// <remarks>
    /// Reads through a <see cref="GuardedReadStream"/>, so a message too deep or too large for the limits is refused
    /// before it can overflow the stack, and a type that is refused never gets an instance. A message deeper than
    /// ordinary ones is read again on a thread of its own, whose stack fits <c>max-depth</c> levels and the worst
    /// cascade of exceptions Hyperion could throw out of them.
    /// </remarks>
    public override object FromBinary(byte[] bytes, Type? type)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return Read(bytes, onOwnThread: false);
    }

    private object Read(byte[] bytes, bool onOwnThread)
    {
        var stream = new GuardedReadStream(bytes, Settings, GuardedReadStream.StackPosition(), onOwnThread);
        object? value = null;
        Exception? error = null;
        try
        {
            value = _hyperion.Deserialize(stream);
        }
        catch (Exception caught)
        {
            error = caught;
        }
        // Whatever Hyperion made of a drained stream (nulls, or an error they caused) is not the message.
        if (stream.NeedsOwnThread) return ReadOnOwnThread(bytes);
        if (stream.Refusal is { } refusal) throw new SerializationException(refusal, error);
        if (error is not null) throw Explained(error, bytes);
        return value!;
    }

    private object ReadOnOwnThread(byte[] bytes)
    {
        object? value = null;
        ExceptionDispatchInfo? error = null;
        var reader = new Thread(() =>
        {
            try
            {
                value = Read(bytes, onOwnThread: true);
            }
            catch (Exception caught)
            {
                error = ExceptionDispatchInfo.Capture(caught);
            }
        }, _ownThreadStackBytes)
        {
            IsBackground = true,
            Name = "xstatenet-hyperion-deep-read",
        };
        reader.Start();
        reader.Join();
        error?.Throw();
        return value!;
    }

    private static SerializationException Explained(Exception error, byte[] bytes) => Refusal(error) switch
    {
        PayloadRefusedException refused => new SerializationException(refused.Message, error),
        EvilDeserializationException refused => new SerializationException(
            $"Refused to read a Hyperion message of type {refused.BadTypeString}: " +
            (refused is UserEvilDeserializationException
                ? $"it is not in {HyperionSettings.Section}.allowed-types."
                : "Hyperion lists it as unsafe to create from untrusted bytes (disallow-unsafe-types = on)."),
            error),
        _ => new SerializationException(
            $"Could not read a {bytes.Length}-byte Hyperion message: the bytes are corrupt, truncated or come " +
            $"from an incompatible peer ({Innermost(error)})", error),
    };

    // Hyperion wraps an error met inside an object graph in its own exceptions (one per object being read); the
    // refusal that caused it says which limit or type it was.
    private static Exception? Refusal(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is PayloadRefusedException or EvilDeserializationException) return error;
        }
        return null;
    }

    // The outermost error names the object being read, the innermost what was wrong with its bytes.
    private static string Innermost(Exception error)
    {
        var innermost = error;
        while (innermost.InnerException is not null) innermost = innermost.InnerException;
        return ReferenceEquals(innermost, error)
            ? $"{error.GetType().Name}: {error.Message}"
            : $"{error.GetType().Name}: {error.Message} <- {innermost.GetType().Name}: {innermost.Message}";
    }
}
