using Akka.Configuration;

namespace XStateNet.Actors.Transport;

/// <summary>Refuses keys a settings section does not know, so that a typo (<c>ring-sise</c>) is not silently ignored.</summary>
internal static class SectionKeys
{
    /// <summary>
    /// Throws when <paramref name="config"/> (the section at <paramref name="section"/>) has a key that is not in
    /// <paramref name="known"/>; the message names every unknown key with its full path and lists the known ones.
    /// </summary>
    /// <exception cref="ConfigurationException">The section has keys it does not know.</exception>
    public static void RejectUnknown(Config config, string section, IReadOnlyCollection<string> known)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.IsEmpty) return;
        var unknown = config.Root.GetObject().Items.Keys
            .Where(key => !known.Contains(key))
            .OrderBy(key => key, StringComparer.Ordinal)
            .Select(key => $"{section}.{key}")
            .ToArray();
        if (unknown.Length == 0) return;
        throw new ConfigurationException(
            $"{string.Join(", ", unknown)}: unknown setting{(unknown.Length > 1 ? "s" : "")}. " +
            $"{section} knows {string.Join(", ", known.OrderBy(k => k, StringComparer.Ordinal))}.");
    }
}
