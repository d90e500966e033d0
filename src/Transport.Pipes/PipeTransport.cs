using System.Collections.Concurrent;
using System.IO.Pipes;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Remote.Transport;
using XStateNet.Actors.Transport.Pipes.Connections;
using XStateNet.Actors.Transport.Pipes.Framing;
using XStateNet.Actors.Transport.Pipes.Naming;

namespace XStateNet.Actors.Transport.Pipes;

/// <summary>
/// An Akka.Remote transport over .NET named pipes (Unix domain sockets on Linux and macOS) between processes on
/// one host. Chosen in HOCON: <c>akka.remote.enabled-transports = ["akka.remote.pipe"]</c> with the section
/// <c>akka.remote.pipe</c> (see <c>hocon/pipes.conf</c>); addresses look like <c>akka.pipe://system@host:port</c>.
/// </summary>
/// <remarks>
/// Each association is one duplex pipe carrying length-prefixed frames. A pipe that ends is reported to Akka as
/// <see cref="Disassociated"/> at once; one that ends without the peer's goodbye, with the peer's process gone, is
/// also reported to <see cref="PeerLiveness"/>, so remote DeathWatch delivers <see cref="Terminated"/> within a
/// reaper tick (with <see cref="LivenessAwareRemoteActorRefProvider"/>).
/// </remarks>
public sealed class PipeTransport : Akka.Remote.Transport.Transport
{
    private readonly ILoggingAdapter _log;
    private readonly ThrottledLog _throttled;
    // Keyed by the connection object, whose equality is reference identity. Never key by the association handle:
    // Akka's AssociationHandle equals any other with the same local and remote address, and two associations between
    // the same pair of nodes (each associating with the other at once) must both be tracked and closed.
    private readonly ConcurrentDictionary<PipeConnection, byte> _connections = new();
    private int _unidentified;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly TaskCompletionSource<IAssociationEventListener> _associationListener = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PortReservation? _reservation;
    private NamedPipeServerStream? _pendingServer;
    private Task _acceptLoop = Task.CompletedTask;
    private Hello _ownHello;

    /// <summary>Called by Akka with the transport's HOCON section (<c>akka.remote.pipe</c>).</summary>
    /// <exception cref="ConfigurationException">A setting is out of range.</exception>
    public PipeTransport(ActorSystem system, Config config)
    {
        ArgumentNullException.ThrowIfNull(system);
        System = system;
        Settings = PipeTransportSettings.Create(config);
        Config = config ?? Config.Empty;
        SchemeIdentifier = Settings.TransportProtocol;
        MaximumPayloadBytes = Settings.MaximumFrameSize;
        _log = Logging.GetLogger(system, typeof(PipeTransport));
        _throttled = new ThrottledLog(_log);
        PayloadLimits.For(system).ReportLocal(SchemeIdentifier, Settings.MaximumFrameSize);
    }

    /// <summary>The settings in effect.</summary>
    public PipeTransportSettings Settings { get; }

    /// <summary>This transport's address once listening (<c>pipe://system@host:port</c>, without Akka's prefix).</summary>
    public Address? LocalAddress { get; private set; }

    /// <summary>The file of the listening pipe on Unix (null on Windows, or before listening).</summary>
    public string? ListeningPath => _reservation?.Endpoint.SocketPath;

    /// <summary>Connections that have said hello and are not closed yet (for tests and diagnostics).</summary>
    internal int ConnectionCount => _connections.Count;

    /// <summary>Accepted connections that have not said hello yet (for tests and diagnostics).</summary>
    internal int UnidentifiedCount => Volatile.Read(ref _unidentified);

    /// <inheritdoc />
    /// <remarks>Fails through the returned task, never by throwing (see <see cref="TransportListening.Start"/>).</remarks>
    public override Task<(Address, TaskCompletionSource<IAssociationEventListener>)> Listen() =>
        TransportListening.Start(StartListening);

    private (Address, TaskCompletionSource<IAssociationEventListener>) StartListening()
    {
        if (LocalAddress is not null) throw new InvalidOperationException("The pipe transport is already listening.");
        PortReservation.CheckDirectory(Settings);
        if (OperatingSystem.IsLinux() && !PipePeerCredentials.IsSupported)
            _log.Warning("Cannot read the kernel's credentials of pipe peers on this runtime: peers' declared process ids are trusted");
        var reservation = Settings.Port == 0
            ? PortReservation.ReserveFree(Settings, skipped => _log.Warning("{0}", skipped))
            : PortReservation.TryReserve(Settings, Settings.Port)
              ?? throw new IOException($"Pipe port {Settings.Port} on '{Settings.Hostname}' is in use by a live process.");
        try
        {
            // The first server instance binds the pipe; a stale socket file of a dead process is replaced.
            _pendingServer = CreateServer(reservation.Endpoint);
        }
        catch
        {
            reservation.Dispose();
            throw;
        }

        _reservation = reservation;
        LocalAddress = new Address(SchemeIdentifier, System.Name, Settings.Hostname, reservation.Port);
        _ownHello = new Hello(Environment.ProcessId, LocalAddress, Settings.MaximumFrameSize);
        _acceptLoop = Task.Run(AcceptLoopAsync);
        _log.Info("Pipe transport listening at {0} on '{1}'", LocalAddress, reservation.Endpoint.PipeName);
        return (LocalAddress, _associationListener);
    }

    /// <inheritdoc />
    public override bool IsResponsibleFor(Address remote) => true;

    /// <inheritdoc />
    public override async Task<AssociationHandle> Associate(Address remoteAddress)
    {
        ArgumentNullException.ThrowIfNull(remoteAddress);
        var local = LocalAddress ?? throw new InvalidOperationException("The pipe transport must listen before it associates.");
        if (remoteAddress.Host is null || remoteAddress.Port is null)
            throw new InvalidAssociationException($"A pipe address needs a host and a port: {remoteAddress}");

        var endpoint = PipeEndpoint.For(Settings.Directory, Settings.FilePrefix, remoteAddress.Host, remoteAddress.Port.Value);
        if (endpoint.SocketPath is not null)
        {
            // .NET's client retries a missing pipe until its timeout: a missing socket file is known at once, and
            // anything but a socket there (a FIFO, a file) is not a listener at all.
            var (kind, _) = PipeFile.Inspect(endpoint.SocketPath);
            if (kind == PipeFileKind.Missing)
                throw new InvalidAssociationException($"No pipe listener for {remoteAddress} at '{endpoint.SocketPath}'.");
            if (kind != PipeFileKind.Socket)
                throw new InvalidAssociationException($"No pipe listener for {remoteAddress}: '{endpoint.SocketPath}' is {PipeFile.Describe(kind)}, not a socket.");
        }

        NamedPipeClientStream client;
        try
        {
            // Where the kernel's credentials can be read, the listener's user is checked below (the error then names
            // it); elsewhere .NET's CurrentUserOnly does it.
            client = await PipeConnector.ConnectAsync(endpoint.PipeName,
                PipePeerCredentials.IsSupported ? PipeOptions.Asynchronous : PipeOptionsFor(Settings),
                Settings.ConnectionTimeout, _shutdown.Token).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new InvalidAssociationException($"Associating with {remoteAddress} over '{endpoint.PipeName}' timed out: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or global::System.Net.Sockets.SocketException)
        {
            // A socket file nobody listens on any more (its process was killed), or one this user may not open.
            throw new InvalidAssociationException($"No pipe listener for {remoteAddress} at '{endpoint.PipeName}': {e.Message}", e);
        }

        try
        {
            var credentials = PipePeerCredentials.Of(client);
            if (Settings.OwnerOnly && credentials is { } listener && listener.UserId != PeerCredentials.CurrentUserId)
            {
                throw new InvalidAssociationException(
                    $"Refusing to associate with {remoteAddress}: the listener at '{endpoint.PipeName}' is process {listener.ProcessId} " +
                    $"of user {listener.UserId}, not of this user ({PeerCredentials.CurrentUserId}) (owner-only)");
            }

            var connection = new PipeConnection(client, Settings, System, _throttled, $"to '{endpoint.PipeName}'");
            var peer = await connection.ExchangeHelloAsync(_ownHello, credentials, _shutdown.Token).ConfigureAwait(false);
            var handle = new PipeAssociationHandle(local, remoteAddress, connection);
            Register(connection, handle, peer);
            return handle;
        }
        catch (TimeoutException e)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw new InvalidAssociationException($"Associating with {remoteAddress} over '{endpoint.PipeName}' timed out: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or FrameFormatException)
        {
            // Akka's contract (as its TCP transport keeps it): an association that cannot be made fails with
            // InvalidAssociationException, whatever the medium's own error was.
            await client.DisposeAsync().ConfigureAwait(false);
            throw new InvalidAssociationException($"Associating with {remoteAddress} over '{endpoint.PipeName}' failed: {e.Message}", e);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public override async Task<bool> Shutdown()
    {
        await _shutdown.CancelAsync().ConfigureAwait(false);
        await _acceptLoop.ConfigureAwait(false);
        foreach (var connection in _connections.Keys) connection.Close("transport shutdown");
        var closing = Task.WhenAll(_connections.Keys.Select(c => c.Completion));
        await Task.WhenAny(closing, Task.Delay(Settings.ConnectionTimeout)).ConfigureAwait(false);

        _pendingServer?.Dispose();
        _pendingServer = null;
        _reservation?.Dispose();
        _reservation = null;
        _log.Debug("Pipe transport at {0} shut down", LocalAddress);
        return true;
    }

    /// <summary>
    /// Accepts connections until shutdown. Nothing a client does may end it: every failure is logged (rate-limited)
    /// and the loop goes on with a fresh server instance, created before the failed one is disposed so that the
    /// listening socket stays bound throughout.
    /// </summary>
    private async Task AcceptLoopAsync()
    {
        IAssociationEventListener listener;
        try
        {
            // Akka registers its listener right after Listen; connections wait in the backlog until then.
            listener = await _associationListener.Task.WaitAsync(_shutdown.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var endpoint = _reservation!.Endpoint;
        while (!_shutdown.IsCancellationRequested)
        {
            var server = _pendingServer;
            try
            {
                server ??= _pendingServer = CreateServer(endpoint);
                await server.WaitForConnectionAsync(_shutdown.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // .NET refuses another user's process itself when owner-only is on, by throwing here.
                if (e is UnauthorizedAccessException)
                    _throttled.Warning("other-user", $"Refused a connection on pipe '{endpoint.PipeName}' from another user: {e.Message}");
                else
                    _throttled.Error("accept", $"Accepting on pipe '{endpoint.PipeName}' failed: {e.GetType().Name}: {e.Message}");
                await ReplaceServerAsync(server, endpoint).ConfigureAwait(false);
                continue;
            }

            // Keep an instance waiting at all times: it keeps the pipe bound while connections come and go.
            _pendingServer = null;
            await ReplaceServerAsync(null, endpoint).ConfigureAwait(false);
            _ = AcceptAsync(server, listener, endpoint);
        }
    }

    /// <summary>Makes a fresh waiting server instance, then disposes <paramref name="failed"/>; retries after a pause if that fails.</summary>
    private async Task ReplaceServerAsync(NamedPipeServerStream? failed, PipeEndpoint endpoint)
    {
        try
        {
            _pendingServer = CreateServer(endpoint);
        }
        catch (Exception e)
        {
            // Out of descriptors, say: the loop tries again (CreateServer at its top) after a pause, not in a spin.
            _pendingServer = null;
            _throttled.Error("create-server", $"Could not open a new instance of pipe '{endpoint.PipeName}': {e.GetType().Name}: {e.Message}");
            try
            {
                await Task.Delay(100, _shutdown.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        if (failed is not null) await DisposeQuietlyAsync(failed).ConfigureAwait(false);
    }

    /// <summary>
    /// Identifies one accepted connection: at most <c>max-unidentified-connections</c> at a time, same user only (by
    /// the kernel's word), then the hello. Never throws; whatever goes wrong is logged (rate-limited) and closes this
    /// connection only.
    /// </summary>
    private async Task AcceptAsync(NamedPipeServerStream server, IAssociationEventListener listener, PipeEndpoint endpoint)
    {
        if (Interlocked.Increment(ref _unidentified) > Settings.MaxUnidentifiedConnections)
        {
            Interlocked.Decrement(ref _unidentified);
            _throttled.Warning("unidentified-cap",
                $"Closed a connection on pipe '{endpoint.PipeName}' at once: {Settings.MaxUnidentifiedConnections} connections " +
                "have not said hello yet (max-unidentified-connections)");
            await DisposeQuietlyAsync(server).ConfigureAwait(false);
            return;
        }

        var identified = false;
        try
        {
            var credentials = PipePeerCredentials.Of(server);
            if (Settings.OwnerOnly && credentials is { } peer && peer.UserId != PeerCredentials.CurrentUserId)
            {
                _throttled.Warning("other-user",
                    $"Refused a connection on pipe '{endpoint.PipeName}' from another user: process {peer.ProcessId} of user {peer.UserId}; " +
                    $"only this user ({PeerCredentials.CurrentUserId}) may connect (owner-only)");
                await DisposeQuietlyAsync(server).ConfigureAwait(false);
                return;
            }

            var connection = new PipeConnection(server, Settings, System, _throttled, $"on '{endpoint.PipeName}'");
            var hello = await connection.ExchangeHelloAsync(_ownHello, credentials, _shutdown.Token).ConfigureAwait(false);
            Interlocked.Decrement(ref _unidentified);
            identified = true;
            var handle = new PipeAssociationHandle(LocalAddress!, hello.ListenAddress, connection);
            Register(connection, handle, hello);
            listener.Notify(new InboundAssociation(handle));
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
        {
            await DisposeQuietlyAsync(server).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _throttled.Error("rejected", $"Rejected a connection on pipe '{endpoint.PipeName}': {e.Message}");
            await DisposeQuietlyAsync(server).ConfigureAwait(false);
        }
        finally
        {
            if (!identified) Interlocked.Decrement(ref _unidentified);
        }
    }

    private static async Task DisposeQuietlyAsync(Stream stream)
    {
        try
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A broken pipe may complain while closing; it is closed all the same.
        }
    }

    private void Register(PipeConnection connection, AssociationHandle handle, Hello peer)
    {
        _connections[connection] = 0;
        connection.Completion.ContinueWith(
            (_, state) => _connections.TryRemove((PipeConnection)state!, out var _),
            connection, TaskScheduler.Default);
        // A new process answers at this address: forget an earlier death. The pid is the kernel's (0: unknown).
        PeerLiveness.For(System).ReportAlive(peer.ListenAddress, peer.ProcessId);
        PayloadLimits.For(System).ReportPeer(peer.ListenAddress, peer.MaximumFrameSize);
        connection.Start(handle);
    }

    // Where the kernel's credentials can be read, the transport checks the peer's user itself (AcceptAsync): the
    // warning then names the process and its user. Elsewhere .NET's own check (CurrentUserOnly) does it.
    private NamedPipeServerStream CreateServer(PipeEndpoint endpoint) =>
        new(endpoint.PipeName, PipeDirection.InOut, NamedPipeServerStream.MaxAllowedServerInstances,
            PipeTransmissionMode.Byte, PipePeerCredentials.IsSupported ? PipeOptions.Asynchronous : PipeOptionsFor(Settings));

    private static PipeOptions PipeOptionsFor(PipeTransportSettings settings) =>
        PipeOptions.Asynchronous | (settings.OwnerOnly ? PipeOptions.CurrentUserOnly : PipeOptions.None);
}
