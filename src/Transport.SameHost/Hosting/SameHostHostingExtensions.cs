using System.Globalization;
using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using XStateNet.Actors.Transport;
using XStateNet.Actors.Transport.SameHost;

namespace XStateNet.Actors.Hosting;

/// <summary>Akka.Hosting: the same-host fast path for a node that runs Akka's TCP (Akka.Remote.Hosting's <c>WithRemoting</c>).</summary>
public static class SameHostHostingExtensions
{
    /// <summary>
    /// Adds the same-host fast path, the one line <c>include "same-host.conf"</c> of HOCON: Akka's TCP transport is
    /// wrapped by <see cref="SameHostTransport"/> (the node keeps its akka.tcp address and every TCP setting), the ready
    /// file <c>hocon/same-host.conf</c> goes behind the node's own settings, the keys set in <paramref name="configure"/>
    /// in front. The provider becomes the liveness-aware remote provider when the node chose plain <c>remote</c> (or
    /// nothing); a cluster provider (<c>WithClustering</c>, before or after this call) stays.
    /// </summary>
    public static AkkaConfigurationBuilder WithSameHostFastPath(this AkkaConfigurationBuilder builder, Action<SameHostFastPathOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new SameHostFastPathOptions();
        configure?.Invoke(options);

        var front = new StringBuilder()
            .Append("akka.remote.dot-netty.tcp.transport-class = \"")
            .Append(typeof(SameHostTransport).FullName).Append(", ").Append(typeof(SameHostTransport).Assembly.GetName().Name).Append("\"\n");
        Append(front, "directory", options.Directory is null ? null : Quote(options.Directory));
        Append(front, "file-prefix", options.FilePrefix is null ? null : Quote(options.FilePrefix));
        Append(front, "owner-only", options.OwnerOnly is { } ownerOnly ? (ownerOnly ? "on" : "off") : null);
        Append(front, "ring-size", options.RingSize is { } ringSize ? ringSize.ToString(CultureInfo.InvariantCulture) + "b" : null);
        Append(front, "down-gone-members", options.DownGoneMembers is { } down ? (down ? "on" : "off") : null);

        var before = builder.Configuration.GetOrElse(Config.Empty);
        builder.AddHocon(SameHostConfig.Ready, HoconAddMode.Append)
            .AddHocon(ConfigurationFactory.ParseString(front.ToString()), HoconAddMode.Prepend);
        // A provider chosen on the builder wins over HOCON: after WithRemoting (plain remote) choose the liveness-aware one there too.
        TransportRemotingHosting.ChooseProvider(builder, before);
        return builder;
    }

    private static void Append(StringBuilder hocon, string key, string? value)
    {
        if (value is not null) hocon.Append("akka.remote.same-host.").Append(key).Append(" = ").Append(value).Append('\n');
    }

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
