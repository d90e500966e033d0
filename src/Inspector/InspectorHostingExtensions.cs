using Akka.Hosting;
using XStateNet.Actors.Hosting;

namespace XStateNet.Actors.Inspection;

/// <summary>Akka.Hosting: serve the inspector page while the actor system runs.</summary>
public static class InspectorHostingExtensions
{
    /// <summary>
    /// Starts a <see cref="MachineInspector"/> when the actor system starts (its URL, with the access token, is
    /// logged at Info; <see cref="MachineInspector.Of"/> returns it) and stops it as the node shuts down (coordinated
    /// shutdown's service-unbind phase), before the actor system terminates.
    /// </summary>
    /// <param name="builder">The node's Akka configuration.</param>
    /// <param name="port">The loopback port; 0 (the default) picks a free one.</param>
    /// <param name="configure">Further options, e.g. <see cref="InspectorOptions.Sources"/>.</param>
    public static AkkaConfigurationBuilder WithInspector(this AkkaConfigurationBuilder builder, int port = 0,
        Func<InspectorOptions, InspectorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new InspectorOptions { Port = port };
        if (configure is not null) options = configure(options);
        options.Validate(); // a bad port fails while configuring, not at start
        return builder.WithXStateNet().AddStartup(async (system, _) => await MachineInspector.StartAsync(system, options));
    }
}
