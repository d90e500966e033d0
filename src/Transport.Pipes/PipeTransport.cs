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
public sealed class PipeTransport : SameHostTransport<PipeTransportSettings>
{
    private int _unidentified;
    private PortReservation? _reservation;
    private NamedPipeServerStream? _pendingServer;
    private Task _acceptLoop = Task.CompletedTask;
    private Hello _ownHello;

    /// <summary>Called by Akka with the transport's HOCON section (<c>akka.remote.pipe</c>).</summary>
    /// <exception cref="ConfigurationException">A setting is out of range.</exception>
    public PipeTransport(ActorSystem system, Config config)
        : base(system, config, PipeTransportSettings.Create(config))
    {
    }

    /// <summary>Connections that have said hello and are not closed yet (for tests and diagnostics).</summary>
    internal int ConnectionCount => Associations.Count;

    /// <summary>Accepted connections that have not said hello yet (for tests and diagnostics).</summary>
    internal int UnidentifiedCount => Volatile.Read(ref _unidentified);

    private protected override Address StartListening()
    {
        PortReservation.CheckDirectory(Settings);
        if (OperatingSystem.IsLinux() && !PipePeerCredentials.IsSupported)
            Log.Warning("Cannot read the kernel's credentials of pipe peers on this runtime: peers' declared process ids are trusted");
        var reservation = Settings.Port == 0
            ? PortReservation.ReserveFree(Settings, skipped => Log.Warning("{0}", skipped))
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
        var address = new Address(SchemeIdentifier, System.Name, Settings.Hostname, reservation.Port);
        _ownHello = new Hello(Environment.ProcessId, address, Settings.MaximumFrameSize);
        _acceptLoop = Task.Run(() => AcceptLoopAsync(reservation.Endpoint));
        Log.Info("Pipe transport listening at {0} on '{1}'", address, reservation.Endpoint.PipeName);
        return address;
    }

    private protected override async Task<AssociationHandle> ConnectAsync(Address local, Address remoteAddress)
    {
        var endpoint = PipeEndpoint.For(Settings.Directory, Settings.FilePrefix, remoteAddress.Host!, remoteAddress.Port!.Value);
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
                Settings.ConnectionTimeout, Stopping).ConfigureAwait(false);
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

            var connection = new PipeConnection(client, Settings, System, Errors, $"to '{endpoint.PipeName}'");
            var peer = await connection.ExchangeHelloAsync(_ownHello, credentials, Stopping).ConfigureAwait(false);
            var handle = new PipeAssociationHandle(local, remoteAddress, connection);
            Register(connection, handle, peer);
            return handle;
        }
        catch (TimeoutException e)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw new InvalidAssociationException($"Associating with {remoteAddress} over '{endpoint.PipeName}' timed out: {e.Message}", e);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private protected override Task StopAcceptingAsync() => _acceptLoop;

    private protected override void ReleaseListener()
    {
        _pendingServer?.Dispose();
        _pendingServer = null;
        _reservation?.Dispose();
        _reservation = null;
    }

    /// <summary>
    /// Accepts connections until shutdown. Nothing a client does may end it: every failure is logged (rate-limited)
    /// and the loop goes on with a fresh server instance, created before the failed one is disposed so that the
    /// listening socket stays bound throughout.
    /// </summary>
    private async Task AcceptLoopAsync(PipeEndpoint endpoint)
    {
        while (!Stopping.IsCancellationRequested)
        {
            var server = _pendingServer;
            try
            {
                server ??= _pendingServer = CreateServer(endpoint);
                await server.WaitForConnectionAsync(Stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (Stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // .NET refuses another user's process itself when owner-only is on, by throwing here.
                if (e is UnauthorizedAccessException)
                    Errors.Warning("other-user", $"Refused a connection on pipe '{endpoint.PipeName}' from another user: {e.Message}");
                else
                    Errors.Error("accept", $"Accepting on pipe '{endpoint.PipeName}' failed: {e.GetType().Name}: {e.Message}");
                await ReplaceServerAsync(server, endpoint).ConfigureAwait(false);
                continue;
            }

            // Keep an instance waiting at all times: it keeps the pipe bound while connections come and go.
            _pendingServer = null;
            await ReplaceServerAsync(null, endpoint).ConfigureAwait(false);
            _ = AcceptAsync(server, endpoint);
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
            Errors.Error("create-server", $"Could not open a new instance of pipe '{endpoint.PipeName}': {e.GetType().Name}: {e.Message}");
            try
            {
                await Task.Delay(100, Stopping).ConfigureAwait(false);
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
    private async Task AcceptAsync(NamedPipeServerStream server, PipeEndpoint endpoint)
    {
        if (Interlocked.Increment(ref _unidentified) > Settings.MaxUnidentifiedConnections)
        {
            Interlocked.Decrement(ref _unidentified);
            Errors.Warning("unidentified-cap",
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
                Errors.Warning("other-user",
                    $"Refused a connection on pipe '{endpoint.PipeName}' from another user: process {peer.ProcessId} of user {peer.UserId}; " +
                    $"only this user ({PeerCredentials.CurrentUserId}) may connect (owner-only)");
                await DisposeQuietlyAsync(server).ConfigureAwait(false);
                return;
            }

            var connection = new PipeConnection(server, Settings, System, Errors, $"on '{endpoint.PipeName}'");
            var hello = await connection.ExchangeHelloAsync(_ownHello, credentials, Stopping).ConfigureAwait(false);
            Interlocked.Decrement(ref _unidentified);
            identified = true;
            var handle = new PipeAssociationHandle(LocalAddress!, hello.ListenAddress, connection);
            Register(connection, handle, hello);
            await NotifyInboundAsync(handle).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (Stopping.IsCancellationRequested)
        {
            await DisposeQuietlyAsync(server).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Errors.Error("rejected", $"Rejected a connection on pipe '{endpoint.PipeName}': {e.Message}");
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
        Associations.Add(connection);
        // A new process answers at this address: forget an earlier death. The pid is the kernel's (0: unknown).
        Liveness.ReportAlive(peer.ListenAddress, peer.ProcessId);
        PayloadLimits.For(System).ReportPeer(peer.ListenAddress, peer.MaximumFrameSize);
        connection.Start(handle);
        // Registered after the transport began stopping: shutdown may already have closed the others.
        if (Stopping.IsCancellationRequested) connection.Close("the transport shut down");
    }

    // Where the kernel's credentials can be read, the transport checks the peer's user itself (AcceptAsync): the
    // warning then names the process and its user. Elsewhere .NET's own check (CurrentUserOnly) does it.
    private NamedPipeServerStream CreateServer(PipeEndpoint endpoint) =>
        new(endpoint.PipeName, PipeDirection.InOut, NamedPipeServerStream.MaxAllowedServerInstances,
            PipeTransmissionMode.Byte, PipePeerCredentials.IsSupported ? PipeOptions.Asynchronous : PipeOptionsFor(Settings));

    private static PipeOptions PipeOptionsFor(PipeTransportSettings settings) =>
        PipeOptions.Asynchronous | (settings.OwnerOnly ? PipeOptions.CurrentUserOnly : PipeOptions.None);
}
