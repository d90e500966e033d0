using Akka.Configuration;
using XStateNet.Actors.Transport;

namespace XStateNet.Actors.Serialization;

/// <summary>
/// The settings of <see cref="HyperionSerializer"/>, read from
/// <c>akka.actor.serialization-settings.xstatenet-hyperion</c> (documented in the runtime's reference.conf).
/// </summary>
/// <param name="DisallowUnsafeTypes">
/// Refuse, when reading, Hyperion's known-dangerous types and the ones <see cref="DangerousTypes"/> describes
/// (handles, finalizable types, delegates, reflection, streams, processes...).
/// </param>
/// <param name="AllowedTypes">When not empty, the only types (full names, or namespaces ending in <c>.*</c>) read.</param>
/// <param name="PreserveObjectReferences">Keep shared and cyclic references intact.</param>
/// <param name="VersionTolerance">Write field names so that other versions of a type can read it.</param>
/// <param name="MaxDepth">Deepest nesting of objects a message may have when read (<c>max-depth</c>).</param>
/// <param name="MaxObjects">Most reads (an upper bound on objects) one message may take (<c>max-objects</c>).</param>
public sealed record HyperionSettings(
    bool DisallowUnsafeTypes,
    IReadOnlyList<string> AllowedTypes,
    bool PreserveObjectReferences,
    bool VersionTolerance,
    int MaxDepth = HyperionSettings.DefaultMaxDepth,
    int MaxObjects = HyperionSettings.DefaultMaxObjects)
{
    /// <summary>The HOCON section the serializer's settings live in, for error messages.</summary>
    public const string Section = "akka.actor.serialization-settings.xstatenet-hyperion";

    /// <summary>Default of <c>max-depth</c>: far deeper than any real message, far shallower than a thread's stack.</summary>
    public const int DefaultMaxDepth = 128;

    /// <summary>Default of <c>max-objects</c>: every object takes at least one byte, so a 1 MiB frame never hits it.</summary>
    public const int DefaultMaxObjects = 1024 * 1024;

    // A limit outside these is a typo or a misunderstanding: 8 levels is less than a machine event with a record
    // payload in a list needs; past 512 levels the thread a deep message is read on would need a stack of more
    // than 80 MiB (see GuardedReadStream.StackBytesFor).
    private const int SmallestMaxDepth = 8;
    private const int LargestMaxDepth = 512;

    /// <summary>The defaults of reference.conf: safe types only, no allow-list, references and versions kept.</summary>
    public static HyperionSettings Default { get; } = new(true, [], true, true);

    /// <summary>Reads the settings, with <see cref="Default"/> for every key that is missing.</summary>
    /// <exception cref="ConfigurationException">A key is unknown or a limit out of range; the message names the key.</exception>
    public static HyperionSettings From(Config? config)
    {
        if (config is null || config.IsEmpty) return Default;
        // A typo (max-dept) must not silently leave a limit at its default: the transports' rule and wording.
        SectionKeys.RejectUnknown(config, Section, KnownKeys);
        var settings = new HyperionSettings(
            config.GetBoolean("disallow-unsafe-types", Default.DisallowUnsafeTypes),
            [.. config.GetStringList("allowed-types", []) ?? []],
            config.GetBoolean("preserve-object-references", Default.PreserveObjectReferences),
            config.GetBoolean("version-tolerance", Default.VersionTolerance),
            config.GetInt("max-depth", DefaultMaxDepth),
            config.GetInt("max-objects", DefaultMaxObjects));
        settings.Validate();
        return settings;
    }

    private static readonly string[] KnownKeys =
        ["disallow-unsafe-types", "allowed-types", "preserve-object-references", "version-tolerance", "max-depth", "max-objects"];

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
}
