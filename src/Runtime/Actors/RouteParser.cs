using Akka.Actor;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace XStateNet.Actors;

/// <summary>
/// Reads <c>xstatenet.machines</c> and says, key by key, what is wrong with each route that is not a usable actor path.
/// </summary>
internal static class RouteParser
{
    /// <summary>The routes by machine id.</summary>
    /// <param name="config">The node's whole configuration.</param>
    /// <param name="localSystemName">This node's actor system name, to refuse a local path of another system; null to skip that check.</param>
    /// <exception cref="ConfigurationException">Some routes are invalid; all are listed.</exception>
    public static Dictionary<string, ActorPath> Parse(Config config, string? localSystemName)
    {
        var routes = new Dictionary<string, ActorPath>(StringComparer.Ordinal);
        if (!config.HasPath(MachineRoutes.ConfigPath)) return routes;
        var section = config.GetConfig(MachineRoutes.ConfigPath);
        if (section is null || section.IsEmpty) return routes;

        var problems = new List<string>();
        foreach (var (key, value) in section.AsEnumerable())
        {
            var id = key.Trim('"');
            var where = $"{MachineRoutes.ConfigPath}.{key}";
            if (Check(id, value, localSystemName, out var path) is { } problem) problems.Add($"{where}: {problem}");
            else routes[id] = path!;
        }
        if (problems.Count > 0)
            throw new ConfigurationException($"Invalid machine route{(problems.Count > 1 ? "s" : "")}: {string.Join("; ", problems)}");
        return routes;
    }

    private static string? Check(string id, HoconValue value, string? localSystemName, out ActorPath? path)
    {
        path = null;
        if (value.IsObject())
            return "is an object, not an actor path; an id with a dot must be quoted (\"my.id\" = \"akka.tcp://...\")";
        if (value.IsArray())
            return "is a list, not an actor path";
        return Check(id, value.GetString(), localSystemName, out path);
    }

    /// <summary>What is wrong with <paramref name="text"/> as the route of <paramref name="id"/>, or null when it is a usable path.</summary>
    public static string? Check(string id, string? text, string? localSystemName, out ActorPath? path)
    {
        path = null;
        var example = $"an absolute actor path like \"akka.tcp://System@host:port/user/{id}\"";
        if (string.IsNullOrWhiteSpace(text)) return $"is empty; expected {example}";
        if (!ActorPath.TryParse(text, out path)) return $"\"{text}\" {WhyNotAPath(text)}; expected {example}";

        var address = path.Address;
        if (address.Protocol != "akka" && !address.Protocol.StartsWith("akka.", StringComparison.Ordinal))
            return $"\"{text}\": the scheme {address.Protocol} is not an Akka scheme (akka for this node, akka.<transport> for another: akka.tcp, akka.pipe, akka.shm)";
        if (address.Protocol != "akka" && (address.Host is null || address.Port is null))
            return $"\"{text}\": a remote path needs a host and a port (akka.tcp://System@host:port/user/{id})";
        if (address.Protocol == "akka" && (address.Host is not null || address.Port is not null))
            return $"\"{text}\": a path with a host and port needs the transport in its scheme (akka.tcp, akka.pipe, akka.shm)";
        if (path.Elements.Count == 0 || path.Elements.Any(string.IsNullOrEmpty))
            return $"\"{text}\" names no actor: add the actor's path, e.g. /user/{id}";
        if (address.Protocol == "akka" && localSystemName is not null && address.System != localSystemName)
            return $"\"{text}\" is a local path of the actor system '{address.System}', but this node's system is '{localSystemName}'; a path to another node needs its transport, host and port";
        return null;
    }

    /// <summary>Akka's parser says only no; look closer for the usual mistakes.</summary>
    private static string WhyNotAPath(string text)
    {
        var at = text.IndexOf("://", StringComparison.Ordinal);
        if (at <= 0) return "has no scheme (akka:// or akka.<transport>://)";
        var scheme = text[..at];
        if (scheme != "akka" && !scheme.StartsWith("akka.", StringComparison.Ordinal))
            return $"has the scheme {scheme}, which is not an Akka scheme (akka.tcp, akka.pipe, akka.shm)";
        var authority = text[(at + 3)..].Split('/')[0];
        if (!authority.Contains('@') && scheme != "akka") return "has no System@ before its host";
        var hostPort = authority.Contains('@') ? authority[(authority.IndexOf('@') + 1)..] : "";
        if (scheme != "akka" && (!hostPort.Contains(':') || !int.TryParse(hostPort[(hostPort.LastIndexOf(':') + 1)..], out _)))
            return "is remote, so it needs a host and a port";
        return "is not an absolute actor path";
    }
}
