using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Remote.Transport;
using XStateNet.Actors.Transport.SameHost.Cluster;
using XStateNet.Actors.Transport.SharedMemory;
using XStateNet.Actors.Transport.SharedMemory.Control;

namespace XStateNet.Actors.Transport.SameHost;

/// <summary>
/// Akka's DotNetty TCP transport with a same-host fast path: the node keeps its <c>akka.tcp://system@host:port</c>
/// address and every <c>akka.remote.dot-netty.tcp</c> setting, and an association with a node on the same host runs
/// over the shared-memory transport's ring instead of a socket.
/// </summary>
/// <remarks>
/// <para>
/// Chosen in HOCON as <c>akka.remote.dot-netty.tcp.transport-class</c> (<c>hocon/same-host.conf</c>); Akka creates it
/// with <c>(ActorSystem, Config)</c>, and it creates Akka's own TCP transport the same way and delegates to it.
/// </para>
/// <para>
/// Once TCP listens, the node also listens on a control socket in <c>akka.remote.same-host.directory</c> named after
/// its TCP address. Associating with a node whose socket is in that directory (same user, process alive) sets up a
/// ring; the listening side confirms that the connecting process really listens at the akka.tcp address it claims.
/// Anything else (no socket there: another host, or a node without the fast path; another user; a failed handshake)
/// associates over TCP and says why in the log, once per peer. Both kinds of association carry akka.tcp addresses,
/// so Akka, Akka.Cluster and the user see one node with one address.
/// </para>
/// <para>
/// A ring association's peer is watched by its process id and heartbeat: a peer whose process is gone is reported to
/// <see cref="PeerLiveness"/> (fast DeathWatch with <see cref="LivenessAwareRemoteActorRefProvider"/>) and, with
/// <c>provider = cluster</c>, downed (<c>akka.remote.same-host.down-gone-members</c>).
/// </para>
/// </remarks>
public sealed class SameHostTransport : Akka.Remote.Transport.Transport
{
    /// <summary>Akka's own TCP transport; internal to Akka.Remote, so created the way Akka creates it.</summary>
    private const string AkkaTcpTransport = "Akka.Remote.Transport.DotNetty.TcpTransport, Akka.Remote";

    private readonly Akka.Remote.Transport.Transport _tcp;
    private readonly SameHostSettings _settings;
    private readonly ILoggingAdapter _log;
    private readonly FallbackLog _fallbacks;
    private readonly TaskCompletionSource<IAssociationEventListener> _listener = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ShmTransport? _ring;
    private GoneMemberDowning? _downing;

    /// <summary>Called by Akka with the section <c>akka.remote.dot-netty.tcp</c>.</summary>
    /// <exception cref="ConfigurationException">A setting of <c>akka.remote.same-host</c> is invalid (the message names it).</exception>
    public SameHostTransport(ActorSystem system, Config config)
    {
        ArgumentNullException.ThrowIfNull(system);
        System = system;
        Config = config ?? Config.Empty;
        _settings = SameHostSettings.Create(system.Settings.Config);
        _log = Logging.GetLogger(system, GetType());
        _fallbacks = new FallbackLog(_log);
        Paths = SameHostPaths.For(system);
        _tcp = CreateAkkaTcp(system, Config);
        SchemeIdentifier = _tcp.SchemeIdentifier;
        MaximumPayloadBytes = _tcp.MaximumPayloadBytes;
        // The ring's settings are checked now, so a bad one fails the start before anything listens.
        if (_settings.Enabled) RingSection("localhost", 0);
    }

    /// <summary>Which medium each association runs on.</summary>
    public SameHostPaths Paths { get; }

    /// <summary>Whether the ring listens (false: TCP alone, and the log said why).</summary>
    public bool FastPathListening => _ring is not null;

    /// <inheritdoc />
    public override async Task<(Address, TaskCompletionSource<IAssociationEventListener>)> Listen()
    {
        var (address, tcpListener) = await _tcp.Listen().ConfigureAwait(false);
        var ringListener = _settings.Enabled ? await StartRingAsync(address).ConfigureAwait(false) : null;
        _ = _listener.Task.ContinueWith(registered =>
        {
            tcpListener.TrySetResult(new CountingListener(registered.Result, Paths, ring: false));
            ringListener?.TrySetResult(new CountingListener(registered.Result, Paths, ring: true));
        }, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        if (_ring is not null && _settings.DownGoneMembers && GoneMemberDowning.IsClusterProvider(System))
            _downing = new GoneMemberDowning(System, Paths, _log, _ring.Settings.WatchdogInterval);
        return (address, _listener);
    }

    /// <inheritdoc />
    public override bool IsResponsibleFor(Address remote) => _tcp.IsResponsibleFor(remote);

    /// <inheritdoc />
    /// <remarks>Over the ring when the peer listens in this node's directory, otherwise (or if that fails) over TCP.</remarks>
    public override async Task<AssociationHandle> Associate(Address remoteAddress)
    {
        ArgumentNullException.ThrowIfNull(remoteAddress);
        if (_ring is { } ring)
        {
            try
            {
                var handle = await ring.Associate(remoteAddress).ConfigureAwait(false);
                Paths.Count(remoteAddress, ring: true);
                return handle;
            }
            catch (InvalidAssociationException e)
            {
                var endpointThere = remoteAddress is { Host: { } host, Port: { } port } && File.Exists(ring.ControlSocketOf(host, port));
                _fallbacks.Note(remoteAddress, endpointThere
                    ? $"the ring could not be set up: {e.Message}"
                    : $"no same-host endpoint for it in {_settings.Directory} (another host, or a node without the fast path)",
                    expected: !endpointThere);
            }
        }

        var tcp = await _tcp.Associate(remoteAddress).ConfigureAwait(false);
        Paths.Count(remoteAddress, ring: false);
        return tcp;
    }

    /// <inheritdoc />
    public override Task<bool> ManagementCommand(object message) => _tcp.ManagementCommand(message);

    /// <inheritdoc />
    public override async Task<bool> Shutdown()
    {
        _downing?.Dispose();
        var ring = _ring is null || await _ring.Shutdown().ConfigureAwait(false);
        var tcp = await _tcp.Shutdown().ConfigureAwait(false);
        return ring && tcp;
    }

    /// <summary>
    /// Starts the ring's listener at this node's TCP address; returns the promise of Akka's listener for its inbound
    /// associations, or null when the node runs on TCP alone (said once in the log).
    /// </summary>
    private async Task<TaskCompletionSource<IAssociationEventListener>?> StartRingAsync(Address tcpAddress)
    {
        if (tcpAddress.Host is not { } host || tcpAddress.Port is not { } port) return null;
        if (!Directory.Exists(_settings.Directory))
        {
            _log.Warning("Same-host fast path off: {0}.directory {1} does not exist; this node runs on TCP alone.",
                SameHostSettings.Section, _settings.Directory);
            return null;
        }

        var ring = new ShmTransport(System, RingSection(host, port));

        ring.VerifyPeer = (request, pid) => VerifyClaimedAddress(ring, request, pid);
        try
        {
            var (_, listener) = await ring.Listen().ConfigureAwait(false);
            _ring = ring;
            _log.Info("Same-host fast path listening for {0} in {1}.", tcpAddress, _settings.Directory);
            return listener;
        }
        catch (Exception e)
        {
            _log.Warning("Same-host fast path off: the ring could not listen for {0} in {1} ({2}); this node runs on TCP alone.",
                tcpAddress, _settings.Directory, InOurSection(e.Message));
            await ring.Shutdown().ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>
    /// The listening side of the handshake: the connecting process must itself listen at the akka.tcp address it
    /// claims, in this directory (its control socket answers, and the kernel says it is the same process).
    /// </summary>
    private string? VerifyClaimedAddress(ShmTransport ring, AssociateRequest request, int pid)
    {
        var path = ring.ControlSocketOf(request.Host, request.Port);
        if (!File.Exists(path)) return $"it claims {request.Host}:{request.Port}, but has no same-host endpoint for it in {_settings.Directory}";
        try
        {
            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            using var timeout = new CancellationTokenSource(ring.Settings.ConnectionTimeout);
            probe.ConnectAsync(new UnixDomainSocketEndPoint(path), timeout.Token).AsTask().GetAwaiter().GetResult();
            var owner = PeerCredentials.Of(probe)?.ProcessId;
            return owner == pid ? null : $"it claims {request.Host}:{request.Port}, but that endpoint belongs to process {owner?.ToString() ?? "unknown"}, not {pid}";
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return $"it claims {request.Host}:{request.Port}, but its endpoint does not answer ({e.Message})";
        }
    }

    /// <summary>The ring's section for this node's TCP <paramref name="host"/> and <paramref name="port"/>, checked; errors name our keys.</summary>
    /// <exception cref="ConfigurationException">A ring setting is invalid.</exception>
    private Config RingSection(string host, int port)
    {
        var section = _settings.RingSection(SchemeIdentifier, host, port, MaximumPayloadBytes);
        try
        {
            ShmSettings.Create(section);
            return section;
        }
        catch (ConfigurationException e)
        {
            throw new ConfigurationException(InOurSection(e.Message), e);
        }
    }

    private static string InOurSection(string message) => message
        .Replace("akka.remote.shm.maximum-frame-size", "akka.remote.dot-netty.tcp.maximum-frame-size (the ring carries what TCP does; raise akka.remote.same-host.ring-size)", StringComparison.Ordinal)
        .Replace("akka.remote.shm.", SameHostSettings.Section + ".", StringComparison.Ordinal);

    private static Akka.Remote.Transport.Transport CreateAkkaTcp(ActorSystem system, Config config)
    {
        var type = Type.GetType(AkkaTcpTransport, throwOnError: false)
            ?? throw new ConfigurationException($"Same-host fast path: Akka.Remote has no {AkkaTcpTransport} (this Akka.Remote version is not supported).");
        return (Akka.Remote.Transport.Transport)Activator.CreateInstance(type, system, config)!;
    }

    /// <summary>Counts inbound associations by medium before Akka takes them up.</summary>
    private sealed class CountingListener(IAssociationEventListener inner, SameHostPaths paths, bool ring) : IAssociationEventListener
    {
        public void Notify(IAssociationEvent ev)
        {
            if (ev is InboundAssociation inbound) paths.Count(inbound.Association.RemoteAddress, ring);
            inner.Notify(ev);
        }
    }
}
