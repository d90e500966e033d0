using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.Serialization;
using Akka.Actor;
using Hyperion;
using Hyperion.Internal;
using Akka.Serialization;
using Akka.Util;
using AkkaSerialization = Akka.Serialization.Serialization;
using HyperionEngine = Hyperion.Serializer;

namespace XStateNet.Actors.Serialization;

/// <summary>
/// Hyperion configured from <see cref="HyperionSettings"/>, writing into pooled buffers and reading only through a
/// <see cref="GuardedReadStream"/>: the one engine behind <see cref="HyperionSerializer"/> (whole messages) and
/// <see cref="MachineEventSerializer"/> (a machine event's payload), so both keep every read check.
/// </summary>
internal sealed class GuardedHyperion
{
    private readonly HyperionEngine _hyperion;
    private readonly int _ownThreadStackBytes;

    public GuardedHyperion(ExtendedActorSystem system, HyperionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Settings = settings;
        var engine = settings.Engine;
        var actorRefs = Surrogate.Create<IActorRef, ActorRefSurrogate>(
            actorRef => new ActorRefSurrogate(AkkaSerialization.SerializedActorPath(actorRef)),
            surrogate => system.Provider.ResolveActorRef(surrogate.Path));
        // Akka's own surrogated types (as Akka.Serialization.Hyperion adds them), and the user's from HOCON or setup.
        var surrogated = Surrogate.Create<ISurrogated, ISurrogate>(
            value => value.ToSurrogate(system),
            surrogate => surrogate.FromSurrogate(system));
        _ownThreadStackBytes = GuardedReadStream.StackBytesFor(settings.MaxDepth);
        // Hyperion consults a type filter only while its unsafe-type check is on: turned on as soon as anything
        // is to be refused (dangerous types, or types not on the allow-list).
        var allowList = settings.AllowedTypes.Count == 0 ? null : new AllowedTypeFilter(settings.AllowedTypes);
        var filtering = settings.DisallowUnsafeTypes || allowList is not null;
        _hyperion = new HyperionEngine(new SerializerOptions(
            versionTolerance: engine.VersionTolerance,
            preserveObjectReferences: engine.PreserveObjectReferences,
            surrogates: [actorRefs, surrogated, .. engine.Surrogates ?? []],
            serializerFactories: null,
            knownTypes: KnownTypes(system, engine.KnownTypesProvider),
            ignoreISerializable: true,
            packageNameOverrides: engine.PackageNameOverrides,
            disallowUnsafeTypes: filtering,
            typeFilter: filtering ? new ReadTypeFilter(settings.DisallowUnsafeTypes, allowList) : DisabledTypeFilter.Instance));
        TracksByReference = engine.PreserveObjectReferences && CanTrackByReference(_hyperion);
    }

    // known-types-provider: a default constructor, or one taking the actor system (Akka.Serialization.Hyperion's rule).
    private static IEnumerable<Type> KnownTypes(ExtendedActorSystem system, Type? providerType)
    {
        if (providerType is null) return [];
        var withSystem = providerType.GetConstructor([typeof(ExtendedActorSystem)]) ?? providerType.GetConstructor([typeof(ActorSystem)]);
        var provider = (IKnownTypesProvider)(withSystem is not null ? withSystem.Invoke([system]) : Activator.CreateInstance(providerType, nonPublic: true)!);
        return provider.GetKnownTypes();
    }

    public HyperionSettings Settings { get; }

    /// <summary>
    /// Whether this engine's writes track objects already written by identity (with preserve-object-references on,
    /// and Hyperion's session laid out as this runtime knows it).
    /// </summary>
    internal bool TracksByReference { get; }

    // With preserve-object-references on, Hyperion's session looks up every object it writes (each record, each
    // string) in a dictionary that compares by value: Equals and GetHashCode, so a record is hashed field by field
    // and a string character by character, twice per object (look-up, then add). That was a fifth of the pipeline
    // processor's CPU (perf: Marvin hashing of each file's 1 KiB text under TypedEqualityComparer), and it also
    // merged distinct objects that were merely equal into one on the reading side. Preserving references means
    // identity: each write gets a session whose dictionary compares by reference. The bytes are Hyperion's own
    // (back-references by index in order of first appearance), so any Hyperion peer reads them.
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_objects")]
    private static extern ref Dictionary<object, int>? WrittenObjects(SerializerSession session);

    private static bool CanTrackByReference(HyperionEngine hyperion)
    {
        try
        {
            // Hyperion 0.12's layout; another version without that field keeps its own session (slower, still correct).
            return WrittenObjects(hyperion.GetSerializerSession()) is not null;
        }
        catch (MissingFieldException)
        {
            return false;
        }
    }

    /// <summary>Writes <paramref name="value"/> at the end of <paramref name="buffer"/>.</summary>
    /// <exception cref="SerializationException">Hyperion could not write it; the message names the type.</exception>
    public void Write(object? value, Stream buffer)
    {
        try
        {
            ArgumentNullException.ThrowIfNull(value);
            var session = _hyperion.GetSerializerSession();
            if (TracksByReference) WrittenObjects(session) = new Dictionary<object, int>(ReferenceEqualityComparer.Instance);
            _hyperion.Serialize(value, buffer, session);
        }
        catch (Exception error)
        {
            throw new SerializationException(
                $"Hyperion could not write a message of type {value?.GetType().FullName ?? "null"}: {error.Message}", error);
        }
    }

    /// <summary>
    /// Reads the value Hyperion wrote from <paramref name="start"/> to the end of <paramref name="bytes"/>, through
    /// a <see cref="GuardedReadStream"/>: a value too deep or too large for the limits is refused before it can
    /// overflow the stack, and a refused type never gets an instance. A value deeper than ordinary ones is read
    /// again on a thread of its own, whose stack fits <c>max-depth</c> levels and the worst cascade of exceptions
    /// Hyperion could throw out of them.
    /// </summary>
    /// <exception cref="SerializationException">The bytes are refused or corrupt; the message names the limit or type.</exception>
    public object? Read(byte[] bytes, int start) => Read(bytes, start, onOwnThread: false);

    private object? Read(byte[] bytes, int start, bool onOwnThread)
    {
        var stream = new GuardedReadStream(bytes, start, Settings, GuardedReadStream.StackPosition(), onOwnThread);
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
        if (stream.NeedsOwnThread) return ReadOnOwnThread(bytes, start);
        if (stream.Refusal is { } refusal) throw new SerializationException(refusal, error);
        if (error is not null) throw Explained(error, bytes.Length - start);
        return value;
    }

    private object? ReadOnOwnThread(byte[] bytes, int start)
    {
        object? value = null;
        ExceptionDispatchInfo? error = null;
        var reader = new Thread(() =>
        {
            try
            {
                value = Read(bytes, start, onOwnThread: true);
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
        return value;
    }

    private static SerializationException Explained(Exception error, int length) => Refusal(error) switch
    {
        PayloadRefusedException refused => new SerializationException(refused.Message, error),
        EvilDeserializationException refused => new SerializationException(
            $"Refused to read a Hyperion message of type {refused.BadTypeString}: " +
            (refused is UserEvilDeserializationException
                ? $"it is not in {HyperionSettings.Section}.allowed-types."
                : "Hyperion lists it as unsafe to create from untrusted bytes (disallow-unsafe-type = on)."),
            error),
        _ => new SerializationException(
            $"Could not read a {length}-byte Hyperion message: the bytes are corrupt, truncated or come " +
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
