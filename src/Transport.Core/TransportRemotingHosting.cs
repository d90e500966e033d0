using System.Reflection;
using Akka.Configuration;
using Akka.Hosting;

namespace XStateNet.Actors.Transport;

/// <summary>
/// What every IPC transport's Akka.Hosting extension does: switch a node to the transport without hand-written HOCON.
/// </summary>
public static class TransportRemotingHosting
{
    /// <summary>
    /// Adds <paramref name="readyConfig"/> (the transport's ready file: provider, enabled transport, failure
    /// detectors) and this node's <c>hostname</c> and <c>port</c> under <paramref name="section"/>
    /// (for example <c>akka.remote.pipe</c>) to the node's configuration.
    /// </summary>
    public static AkkaConfigurationBuilder WithTransportRemoting(
        this AkkaConfigurationBuilder builder, Config readyConfig, string section, string hostname, int port)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(readyConfig);
        ArgumentException.ThrowIfNullOrWhiteSpace(section);
        ArgumentException.ThrowIfNullOrWhiteSpace(hostname);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);

        var node = ConfigurationFactory.ParseString(
            $"{section} {{ hostname = {Quote(hostname)}, port = {port} }}");
        return builder.AddHocon(node.WithFallback(readyConfig), HoconAddMode.Prepend);
    }

    /// <summary>Reads a HOCON file embedded in <paramref name="assembly"/> under <paramref name="resourceName"/>.</summary>
    /// <exception cref="InvalidOperationException">The resource is not in the assembly.</exception>
    public static Config EmbeddedConfig(Assembly assembly, string resourceName)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException(
                $"The HOCON resource '{resourceName}' is not embedded in {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
