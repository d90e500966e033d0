using Akka.Configuration;

namespace XStateNet.Actors.Configuration;

/// <summary>The runtime's own HOCON: serializer bindings and the <c>xstatenet</c> section's defaults.</summary>
public static class XStateNetConfig
{
    private const string ResourceName = "XStateNet.Actors.reference.conf";

    private static readonly Lazy<Config> Reference = new(Load);

    /// <summary>
    /// The runtime's embedded <c>reference.conf</c>: binds <see cref="Serialization.MachineEventSerializer"/> for
    /// machine events and <see cref="Serialization.HyperionSerializer"/> for every other message without a more
    /// specific serializer, and gives <c>xstatenet.*</c> its defaults.
    /// </summary>
    public static Config Default => Reference.Value;

    /// <summary>
    /// <paramref name="config"/> with the runtime's defaults behind it, ready for <c>ActorSystem.Create</c>. Its machine
    /// routes are checked now (<see cref="MachineRoutes.Validate"/>), so a bad one fails before the node starts.
    /// </summary>
    /// <exception cref="ConfigurationException">A route of <c>xstatenet.machines</c> is invalid; the message names its key.</exception>
    public static Config WithDefaults(Config? config)
    {
        var complete = config is null || config.IsEmpty ? Default : config.WithFallback(Default);
        MachineRoutes.Validate(complete);
        return complete;
    }

    private static Config Load()
    {
        using var stream = typeof(XStateNetConfig).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The runtime's {ResourceName} is not embedded in its assembly.");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
