using Akka.Configuration;
using XStateNet.Actors.Transport;

namespace XStateNet.Actors.Configuration;

/// <summary>The runtime's own HOCON: serializer bindings and the <c>xstatenet</c> section's defaults.</summary>
public static class XStateNetConfig
{
    private static readonly Lazy<Config> Reference =
        new(() => EmbeddedHocon.Load(typeof(XStateNetConfig).Assembly, "XStateNet.Actors.reference.conf"));

    /// <summary>
    /// The runtime's embedded <c>reference.conf</c>: binds <see cref="Serialization.MachineEventSerializer"/> for
    /// machine events and <see cref="Serialization.HyperionSerializer"/> for every other message without a more
    /// specific serializer, and gives <c>xstatenet.*</c> its defaults. Put a node's own
    /// configuration in front of it: <c>myConfig.WithFallback(XStateNetConfig.Default)</c>.
    /// </summary>
    public static Config Default => Reference.Value;
}
