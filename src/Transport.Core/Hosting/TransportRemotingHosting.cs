using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using XStateNet.Actors.Transport;

namespace XStateNet.Actors.Hosting;

/// <summary>
/// What every same-host transport's Akka.Hosting extension does (<c>WithPipeRemoting</c>, <c>WithShmRemoting</c>):
/// add the transport to the node next to whatever else it runs, without hand-written HOCON.
/// </summary>
internal static class TransportRemotingHosting
{
    /// <summary>Akka.Remote's TCP transport, the one Akka.Remote.Hosting's <c>WithRemoting</c> configures.</summary>
    internal const string Tcp = "akka.remote.dot-netty.tcp";

    private const string EnabledTransports = "akka.remote.enabled-transports";

    /// <summary>
    /// Adds the transport of <paramref name="options"/>:
    /// <list type="bullet">
    /// <item>its ready file as a fallback, so the node's own settings (failure detectors, ...) keep precedence;</item>
    /// <item>the keys set in <paramref name="options"/> in front;</item>
    /// <item>the transport to <c>akka.remote.enabled-transports</c>, keeping the transports already configured:
    /// TCP of an earlier <c>WithRemoting</c> (which configures <c>dot-netty.tcp</c> but leaves the list to Akka's
    /// default) and the other same-host transport. A list the node set itself is extended, never replaced;</item>
    /// <item>the liveness-aware remote provider, unless the node chose another (cluster, a custom one).</item>
    /// </list>
    /// <c>WithRemoting</c> called after this cannot be seen here; the node's start then fails with what to do instead
    /// of running without TCP.
    /// </summary>
    public static AkkaConfigurationBuilder WithTransportRemoting(this AkkaConfigurationBuilder builder, TransportRemotingOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);

        var section = options.SectionHocon();
        var before = builder.Configuration.GetOrElse(Config.Empty);
        var tcpBefore = before.HasPath(Tcp);
        var transports = EnabledBefore(before, tcpBefore);
        if (!transports.Contains(options.Section)) transports.Add(options.Section);

        var front = $"{EnabledTransports} = [{string.Join(", ", transports.Select(t => t.ToHocon()))}]\n"
                    + (section.Length == 0 ? "" : $"{options.Section} {{\n{section}}}\n");
        builder.AddHocon(options.ReadyConfig, HoconAddMode.Append)
            .AddHocon(ConfigurationFactory.ParseString(front), HoconAddMode.Prepend);
        ChooseProvider(builder, before);

        if (!tcpBefore)
            builder.AddStartup((system, _) => RefuseTcpDroppedLater(system, builder, options.Section));
        return builder;
    }

    /// <summary>As <see cref="WithTransportRemoting(AkkaConfigurationBuilder, TransportRemotingOptions)"/>, with options set by <paramref name="configure"/>.</summary>
    public static AkkaConfigurationBuilder WithTransportRemoting<TOptions>(this AkkaConfigurationBuilder builder, Action<TOptions> configure)
        where TOptions : TransportRemotingOptions, new()
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new TOptions();
        configure(options);
        return builder.WithTransportRemoting(options);
    }

    /// <summary>What <c>akka.remote.enabled-transports</c> holds before this call, as far as the builder says.</summary>
    private static List<string> EnabledBefore(Config before, bool tcpConfigured)
    {
        if (before.HasPath(EnabledTransports)) return [.. before.GetStringList(EnabledTransports, [])];

        // Akka's own default is TCP alone; it applies only to a node that asked for remoting (WithRemoting, its HOCON).
        return tcpConfigured ? [Tcp] : [];
    }

    /// <summary>
    /// The ready files name the liveness-aware provider in HOCON, but a provider chosen on the builder wins over HOCON:
    /// after <c>WithRemoting</c> (plain remote) it would be lost, so choose it on the builder too. A cluster or custom
    /// provider, or one the node's own HOCON names, is the node's choice and stays.
    /// </summary>
    internal static void ChooseProvider(AkkaConfigurationBuilder builder, Config before)
    {
        if (builder.ActorRefProvider.HasValue && builder.ActorRefProvider.Value is not ProviderSelection.Remote) return;
        if (!builder.ActorRefProvider.HasValue && before.HasPath("akka.actor.provider")
            && !string.Equals(before.GetString("akka.actor.provider"), "remote", StringComparison.OrdinalIgnoreCase)) return;

        var provider = typeof(LivenessAwareRemoteActorRefProvider);
        builder.WithActorRefProvider(new ProviderSelection.Custom($"{provider.FullName}, {provider.Assembly.GetName().Name}"));
    }

    /// <summary>
    /// <c>WithRemoting</c> after ours configured TCP, but the list of transports was written before it: fail the start
    /// rather than run a node that silently does not listen on TCP.
    /// </summary>
    private static void RefuseTcpDroppedLater(ActorSystem system, AkkaConfigurationBuilder builder, string section)
    {
        var configured = builder.Configuration.GetOrElse(Config.Empty);
        if (!configured.HasPath(Tcp)) return;
        var enabled = system.Settings.Config.GetStringList(EnabledTransports, []);
        if (enabled.Contains(Tcp)) return;
        throw new ConfigurationException(
            $"{Tcp} is configured (Akka.Remote.Hosting's WithRemoting, or its HOCON) after {section} was added, but " +
            $"{EnabledTransports} = [{string.Join(", ", enabled)}] was already written without it: call WithRemoting " +
            "before WithPipeRemoting / WithShmRemoting, or list both transports in akka.remote.enabled-transports yourself.");
    }
}
