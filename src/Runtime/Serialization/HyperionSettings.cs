using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Akka.Serialization.Hyperion;
using XStateNet.Actors.Transport;

namespace XStateNet.Actors.Serialization;

/// <summary>
/// The settings of <see cref="HyperionSerializer"/>, read from Akka.Serialization.Hyperion's own section,
/// <c>akka.actor.serialization-settings.hyperion</c>: that package's keys and parser for Hyperion itself
/// (<c>preserve-object-references</c>, <c>version-tolerance</c>, <c>disallow-unsafe-type</c>,
/// <c>known-types-provider</c>, <c>surrogates</c>, <c>cross-platform-package-name-overrides</c>), plus what the
/// runtime adds on top: read limits (<c>max-depth</c>, <c>max-objects</c>) and an <c>allowed-types</c> that also
/// takes namespaces (<c>MyApp.Orders.*</c>) and names of types not loaded when the node starts.
/// </summary>
/// <param name="Engine">
/// Hyperion's own settings, as Akka.Serialization.Hyperion reads them (its <see cref="HyperionSerializerSetup"/>
/// applied). Its type filter is not used: <paramref name="AllowedTypes"/> is.
/// </param>
/// <param name="AllowedTypes">When not empty, the only types (full names, or namespaces ending in <c>.*</c>) read.</param>
/// <param name="MaxDepth">Deepest nesting of objects a message may have when read (<c>max-depth</c>).</param>
/// <param name="MaxObjects">Most reads (an upper bound on objects) one message may take (<c>max-objects</c>).</param>
public sealed record HyperionSettings(
    HyperionSerializerSettings Engine,
    IReadOnlyList<string> AllowedTypes,
    int MaxDepth = HyperionSettings.DefaultMaxDepth,
    int MaxObjects = HyperionSettings.DefaultMaxObjects)
{
    /// <summary>The HOCON section the serializer's settings live in (Akka.Serialization.Hyperion's), for error messages.</summary>
    public const string Section = "akka.actor.serialization-settings.hyperion";

    /// <summary>Default of <c>max-depth</c>: far deeper than any real message, far shallower than a thread's stack.</summary>
    public const int DefaultMaxDepth = 128;

    /// <summary>Default of <c>max-objects</c>: every object takes at least one byte, so a 1 MiB frame never hits it.</summary>
    public const int DefaultMaxObjects = 1024 * 1024;

    // A limit outside these is a typo or a misunderstanding: 8 levels is less than a machine event with a record
    // payload in a list needs; past 512 levels the thread a deep message is read on would need a stack of more
    // than 80 MiB (see GuardedReadStream.StackBytesFor).
    private const int SmallestMaxDepth = 8;
    private const int LargestMaxDepth = 512;

    // Akka.Serialization.Hyperion's keys, then the runtime's.
    private static readonly string[] KnownKeys =
    [
        "preserve-object-references", "version-tolerance", "disallow-unsafe-type", "known-types-provider",
        "allowed-types", "cross-platform-package-name-overrides", "surrogates",
        "max-depth", "max-objects",
    ];

    /// <summary>The defaults: Akka.Serialization.Hyperion's (safe types only, references and versions kept), no allow-list.</summary>
    public static HyperionSettings Default { get; } = new(HyperionSerializerSettings.Default, []);

    /// <summary>Refuse Hyperion's known-dangerous types and the ones <see cref="DangerousTypes"/> describes (<c>disallow-unsafe-type</c>).</summary>
    public bool DisallowUnsafeTypes
    {
        get => Engine.DisallowUnsafeType;
        init => Engine = Engine.WithDisallowUnsafeType(value);
    }

    /// <summary>Keep shared and cyclic references intact (<c>preserve-object-references</c>).</summary>
    public bool PreserveObjectReferences
    {
        get => Engine.PreserveObjectReferences;
        init => Engine = Engine.WithPreserveObjectReference(value);
    }

    /// <summary>Write field names so that other versions of a type can read it (<c>version-tolerance</c>).</summary>
    public bool VersionTolerance
    {
        get => Engine.VersionTolerance;
        init => Engine = Engine.WithVersionTolerance(value);
    }

    /// <summary>Reads the settings, with Akka.Serialization.Hyperion's defaults and the runtime's for every key that is missing.</summary>
    /// <exception cref="ConfigurationException">A key is unknown, a type it names does not load, or a limit is out of range; the message names the key.</exception>
    public static HyperionSettings From(Config? config)
    {
        if (config is null || config.IsEmpty) return Default;
        // A typo (max-dept, or disallow-unsafe-types for the package's disallow-unsafe-type) must not silently leave a
        // setting at its default: the transports' rule and wording.
        SectionKeys.RejectUnknown(config, Section, KnownKeys);
        var allowed = (IReadOnlyList<string>)[.. config.GetStringList("allowed-types", []) ?? []];
        HyperionSerializerSettings engine;
        try
        {
            // The package's parser for the package's keys. Its allowed-types loads each name as a type when the node
            // starts and takes no namespaces; ours is read above and checked when a message names a type.
            engine = HyperionSerializerSettings.Create(ConfigurationFactory.ParseString("allowed-types = []")
                .WithFallback(config)
                .WithFallback(PackageDefaults.Value));
        }
        catch (Exception error)
        {
            // A known-types-provider or surrogate that does not load, a malformed override: the package's message
            // says what, this says where.
            throw new ConfigurationException($"{Section}: {error.Message}", error);
        }
        var settings = new HyperionSettings(engine, allowed, config.GetInt("max-depth", DefaultMaxDepth), config.GetInt("max-objects", DefaultMaxObjects));
        settings.Validate();
        return settings;
    }

    /// <summary>
    /// The settings an actor system's serializers run with: its <see cref="Section"/>, and the
    /// <see cref="HyperionSerializerSetup"/> it was created with, applied as Akka.Serialization.Hyperion applies it.
    /// </summary>
    /// <exception cref="ConfigurationException">As <see cref="From"/>.</exception>
    public static HyperionSettings For(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return From(system.Settings.Config.GetConfig(Section)).WithSetupOf(system);
    }

    // Akka.Serialization.Hyperion applies its setup inside its serializer only; the machine event serializer reads
    // payloads with the same settings, so the runtime applies it the same way for both.
    internal HyperionSettings WithSetupOf(ActorSystem system)
    {
        var found = system.Settings.Setup.Get<HyperionSerializerSetup>();
        if (!found.HasValue) return this;
        var setup = found.Value;
        var engine = Engine;
        if (setup.PreserveObjectReferences is { } preserve) engine = engine.WithPreserveObjectReference(preserve);
        if (setup.VersionTolerance is { } tolerance) engine = engine.WithVersionTolerance(tolerance);
        if (setup.KnownTypesProvider is { } known) engine = engine.WithKnownTypesProvider(known);
        if (setup.PackageNameOverrides is { } overrides) engine = engine.WithPackageNameOverrides(overrides);
        if (setup.Surrogates is { } surrogates) engine = engine.WithSurrogates(surrogates);
        if (setup.DisallowUnsafeType is { } disallow) engine = engine.WithDisallowUnsafeType(disallow);
        return this with { Engine = engine };
    }

    /// <summary>Throws when a limit is out of range, naming its HOCON key.</summary>
    /// <exception cref="ConfigurationException">A limit is out of range.</exception>
    public void Validate()
    {
        if (MaxDepth is < SmallestMaxDepth or > LargestMaxDepth)
        {
            throw new ConfigurationException(
                $"{Section}.max-depth: {MaxDepth} is out of range; it must be between {SmallestMaxDepth} and {LargestMaxDepth}.");
        }
        if (MaxObjects < 1)
        {
            throw new ConfigurationException($"{Section}.max-objects: {MaxObjects} must be at least 1.");
        }
    }

    private static readonly Lazy<Config> PackageDefaults = new(() =>
        Akka.Serialization.HyperionSerializer.DefaultConfiguration().GetConfig(Section));
}
