using Akka.Configuration;

namespace XStateNet.Actors.Serialization;

/// <summary>
/// The settings of <see cref="HyperionSerializer"/>, read from
/// <c>akka.actor.serialization-settings.xstatenet-hyperion</c> (documented in the runtime's reference.conf).
/// </summary>
/// <param name="DisallowUnsafeTypes">Refuse Hyperion's known-dangerous types when reading.</param>
/// <param name="AllowedTypes">When not empty, the only types (full names, or namespaces ending in <c>.*</c>) read.</param>
/// <param name="PreserveObjectReferences">Keep shared and cyclic references intact.</param>
/// <param name="VersionTolerance">Write field names so that other versions of a type can read it.</param>
public sealed record HyperionSettings(
    bool DisallowUnsafeTypes,
    IReadOnlyList<string> AllowedTypes,
    bool PreserveObjectReferences,
    bool VersionTolerance)
{
    /// <summary>The defaults of reference.conf: safe types only, no allow-list, references and versions kept.</summary>
    public static HyperionSettings Default { get; } = new(true, [], true, true);

    /// <summary>Reads the settings, with <see cref="Default"/> for every key that is missing.</summary>
    public static HyperionSettings From(Config? config)
    {
        if (config is null || config.IsEmpty) return Default;
        return new HyperionSettings(
            config.GetBoolean("disallow-unsafe-types", Default.DisallowUnsafeTypes),
            [.. config.GetStringList("allowed-types", []) ?? []],
            config.GetBoolean("preserve-object-references", Default.PreserveObjectReferences),
            config.GetBoolean("version-tolerance", Default.VersionTolerance));
    }
}
