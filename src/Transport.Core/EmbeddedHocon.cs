using System.Reflection;
using Akka.Configuration;

namespace XStateNet.Actors.Transport;

/// <summary>
/// Reads a HOCON file embedded in an assembly: each package's <c>reference.conf</c> and ready file
/// (<c>hocon/*.conf</c>) travel inside its dll, so a program that installed the package never reads them from disk.
/// </summary>
internal static class EmbeddedHocon
{
    /// <summary>Parses the resource <paramref name="resourceName"/> (its logical name in the csproj) of <paramref name="assembly"/>.</summary>
    /// <exception cref="InvalidOperationException">The resource is not in the assembly (a build defect, named here).</exception>
    public static Config Load(Assembly assembly, string resourceName)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentException.ThrowIfNullOrEmpty(resourceName);
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException(
                $"The HOCON resource '{resourceName}' is not embedded in {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
