using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Samples.Pipeline.Transports;

namespace XStateNet.Actors.Samples.Pipeline.Stages;

/// <summary>
/// A stage's HOCON: the routes of all three machine ids (from <c>--config</c>, or the default ports), this
/// node's own port taken from its own route, the transport's file, and the runtime's defaults.
/// </summary>
internal static class StageConfig
{
    public const string SystemName = "Pipeline";

    /// <summary>Ports used when no routes are given: a stage started by hand or by systemd.</summary>
    public static readonly IReadOnlyDictionary<StageRole, int> DefaultPorts = new Dictionary<StageRole, int>
    {
        [StageRole.Ingester] = 20001,
        [StageRole.Processor] = 20002,
        [StageRole.Storage] = 20003,
    };

    /// <summary>The <c>xstatenet.machines</c> section for the three stages at the given ports.</summary>
    public static string Routes(TransportProfile transport, IReadOnlyDictionary<StageRole, int> ports)
    {
        var lines = ports.Select(p =>
            $"  {MachineScripts.Id(p.Key)} = \"{transport.Address(SystemName, p.Value)}/user/{MachineScripts.Id(p.Key)}\"");
        return "xstatenet.machines {\n" + string.Join("\n", lines) + "\n}\n";
    }

    /// <summary>What every stage's node runs with besides routes and transport (a spec's nodes take it too).</summary>
    public const string StageSettings = """
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.log-dead-letters = off
        akka.log-dead-letters-during-shutdown = off
        akka.coordinated-shutdown.exit-clr = off
        # A stage that is not there is usually restarting: don't wait long before saying so. But the first
        # resolve of a peer also sets up its association, which on a loaded two-core machine took over 1 s
        # (the processor's first SAVE_DATA batches were refused and waited for the ingester's re-send).
        xstatenet.resolve-timeout = 5s
        # The stages reach each other by the routes above; the host directory would only add a file per
        # stage under the user's runtime directory, and make two runs with the same ids refuse each other.
        xstatenet.directory.enabled = off
        """;

    public static Config Build(StageRole role, TransportProfile transport, string? routesFile, string? directory = null)
    {
        Config routes;
        try
        {
            routes = ConfigurationFactory.ParseString(routesFile is null
                ? Routes(transport, DefaultPorts)
                : File.ReadAllText(routesFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ConfigurationException or FormatException)
        {
            throw new PipelineUsageException($"--config {routesFile}: {e.Message}");
        }

        var id = MachineScripts.Id(role);
        var own = routes.GetString($"{MachineRoutes.ConfigPath}.{id}", null)
            ?? throw new PipelineUsageException($"{routesFile ?? "the default routes"} has no route for '{id}' ({MachineRoutes.ConfigPath}.{id}).");
        if (!ActorPath.TryParse(own, out var path) || path.Address.Port is not { } port)
            throw new PipelineUsageException($"{MachineRoutes.ConfigPath}.{id} = \"{own}\" is not an actor path with a port.");
        var expected = transport.Address(SystemName, port);
        if (!string.Equals(path.Address.ToString(), expected, StringComparison.Ordinal))
            throw new PipelineUsageException(
                $"{MachineRoutes.ConfigPath}.{id} = \"{own}\" does not match the {transport.Name} transport's address {expected}.");

        var stage = ConfigurationFactory.ParseString(StageSettings);
        return routes.WithFallback(InspectableConfig.Of(directory)).WithFallback(stage)
            .WithFallback(transport.NodeConfig(port)).WithFallback(XStateNetConfig.Default);
    }
}
