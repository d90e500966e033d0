using Akka.Actor;
using Akka.Configuration;

namespace XStateNet.Actors.Configuration;

/// <summary>Gets an extension that reads settings when created, giving the caller its own configuration error.</summary>
internal static class ConfiguredExtension
{
    /// <exception cref="ConfigurationException">The extension refused its settings; the message names the key.</exception>
    public static T Get<T, TProvider>(ActorSystem system) where T : class, IExtension where TProvider : IExtensionId
    {
        ArgumentNullException.ThrowIfNull(system);
        try
        {
            return system.WithExtension<T, TProvider>();
        }
        catch (Exception e) when (e is not ConfigurationException && e.InnerException is ConfigurationException invalid)
        {
            // Akka creates extensions by reflection: give the caller the settings' own error, not the wrapper.
            throw new ConfigurationException(invalid.Message, e);
        }
    }
}
