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
    private readonly ConcurrentDictionary<PipeConnection, byte> _connections = new();
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
    }

    /// <summary>The settings in effect.</summary>
    public PipeTransportSettings Settings { get; }

    /// <summary>This transport's address once listening (<c>pipe://system@host:port</c>, without Akka's prefix).</summary>
    public Address? LocalAddress { get; private set; }

    /// <summary>The file of the listening pipe on Unix (null on Windows, or before listening).</summary>
    public string? ListeningPath => _reservation?.Endpoint.SocketPath;

    /// <inheritdoc />
    /// <remarks>Fails through the returned task, never by throwing (see <see cref="TransportListening.Start"/>).</remarks>
    public override Task<(Address, TaskCompletionSource<IAssociationEventListener>)> Listen() =>
        TransportListening.Start(StartListening);

    private (Address, TaskCompletionSource<IAssociationEventListener>) StartListening()
    {
        if (LocalAddress is not null) throw new InvalidOperationException("The pipe transport is already listening.");
        var reservation = Settings.Port == 0
            ? PortReservation.ReserveFree(Settings)
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
        _ownHello = new Hello(Environment.ProcessId, LocalAddress);
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

        var endpoint = PipeEndpoint.For(Settings.PipeDirectory, Settings.PipeNamePrefix, remoteAddress.Host, remoteAddress.Port.Value);
        // .NET's client retries a missing pipe until its timeout; a missing socket file is known at once.
        if (endpoint.SocketPath is not null && !File.Exists(endpoint.SocketPath))
            throw new IOException($"No pipe listener for {remoteAddress} at '{endpoint.SocketPath}'.");

        var client = new NamedPipeClientStream(".", endpoint.PipeName, PipeDirection.InOut, PipeOptionsFor(Settings));
        PipeConnection? connection = null;
        try
        {
            await client.ConnectAsync((int)Settings.ConnectionTimeout.TotalMilliseconds, _shutdown.Token).ConfigureAwait(false);
            connection = new PipeConnection(client, Settings, System, _log, $"to '{endpoint.PipeName}'");
            var peer = await connection.ExchangeHelloAsync(_ownHello, _shutdown.Token).ConfigureAwait(false);
            var handle = new PipeAssociationHandle(local, remoteAddress, connection);
            Register(connection, handle, peer);
            return handle;
        }
        catch (TimeoutException e)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"Associating with {remoteAddress} over '{endpoint.PipeName}' timed out: {e.Message}", e);
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
            var server = _pendingServer!;
            try
            {
                await server.WaitForConnectionAsync(_shutdown.Token).ConfigureAwait(false);
                // Keep an instance waiting at all times: it keeps the pipe bound while connections come and go.
                _pendingServer = CreateServer(endpoint);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (IOException e)
            {
                _log.Warning("Accepting on pipe '{0}' failed: {1}", endpoint.PipeName, e.Message);
                await server.DisposeAsync().ConfigureAwait(false);
                _pendingServer = CreateServer(endpoint);
                continue;
            }

            _ = AcceptAsync(server, listener);
        }
    }

    private async Task AcceptAsync(NamedPipeServerStream server, IAssociationEventListener listener)
    {
        var connection = new PipeConnection(server, Settings, System, _log, $"on '{_reservation?.Endpoint.PipeName}'");
        try
        {
            var peer = await connection.ExchangeHelloAsync(_ownHello, _shutdown.Token).ConfigureAwait(false);
            var handle = new PipeAssociationHandle(LocalAddress!, peer.ListenAddress, connection);
            Register(connection, handle, peer);
            listener.Notify(new InboundAssociation(handle));
        }
        catch (Exception e) when (e is FrameFormatException or TimeoutException or IOException)
        {
            _log.Error("Rejected a connection on pipe '{0}': {1}", _reservation?.Endpoint.PipeName, e.Message);
            await server.DisposeAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Register(PipeConnection connection, AssociationHandle handle, Hello peer)
    {
        _connections[connection] = 0;
        connection.Completion.ContinueWith(
            (_, state) => _connections.TryRemove((PipeConnection)state!, out var _),
            connection, TaskScheduler.Default);
        // A new process answers at this address: forget an earlier death.
        PeerLiveness.For(System).ReportAlive(peer.ListenAddress, peer.ProcessId);
        connection.Start(handle);
    }

    private NamedPipeServerStream CreateServer(PipeEndpoint endpoint) =>
        new(endpoint.PipeName, PipeDirection.InOut, NamedPipeServerStream.MaxAllowedServerInstances,
            PipeTransmissionMode.Byte, PipeOptionsFor(Settings));

    private static PipeOptions PipeOptionsFor(PipeTransportSettings settings) =>
        PipeOptions.Asynchronous | (settings.CurrentUserOnly ? PipeOptions.CurrentUserOnly : PipeOptions.None);
}
