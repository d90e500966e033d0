using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Remote.Transport;
using XStateNet.Actors.Transport.SharedMemory.Control;
using XStateNet.Actors.Transport.SharedMemory.Ring;

namespace XStateNet.Actors.Transport.SharedMemory;

/// <summary>
/// Akka.Remote transport over shared memory on one host: addresses <c>akka.shm://&lt;system&gt;@&lt;host&gt;:&lt;port&gt;</c>,
/// one memory-mapped segment (two rings) per association under <c>akka.remote.shm.directory</c>.
/// </summary>
/// <remarks>
/// Enabled in HOCON (<c>hocon/shm.conf</c>); Akka creates it through the public <c>(ActorSystem, Config)</c>
/// constructor. A node listens on a Unix domain socket named after its host and port; a connecting node creates
/// the segment (a sealed memfd, see <see cref="SealedMemory"/>), and the socket carries only its descriptor number,
/// the two nodes' identities and their frame limits. Who is on the other end of the socket is the kernel's word
/// (SO_PEERCRED), not the peer's.
/// </remarks>
public sealed class ShmTransport : SameHostTransport<ShmSettings>
{
    private readonly ShmFiles _files;
    private int _unidentified;
    private Socket? _controlSocket;
    private string? _controlPath;
    private readonly ManualResetEventSlim _watchdogStop = new();
    private readonly Lock _watchdogLock = new();
    private Thread? _watchdog;
    private Task _acceptLoop = Task.CompletedTask;
    private long _lastTickMs;
    private long _judgeHeartbeatsFromMs;

    /// <summary>Called by Akka with the section <c>akka.remote.shm</c>.</summary>
    /// <exception cref="ConfigurationException">A setting is invalid (the message names its key).</exception>
    public ShmTransport(ActorSystem system, Config config)
        : base(system, config, ShmSettings.Create(config))
    {
        _files = new ShmFiles(Settings);
    }

    /// <summary>The watchdog's clock, in <see cref="MonotonicClock"/> milliseconds (replaced by tests).</summary>
    internal Func<long> WatchdogClock { get; set; } = static () => MonotonicClock.NowMs;

    /// <summary>The segments of the associations open now (one per association, named as <c>/proc/&lt;pid&gt;/maps</c> shows them).</summary>
    public IReadOnlyCollection<string> OpenSegments => Associations.Open.OfType<ShmAssociationHandle>().Select(a => a.SegmentPath).ToArray();

    /// <summary>How the accept loop accepts a connection (replaced by tests to inject failures of accept itself).</summary>
    internal Func<Socket, CancellationToken, ValueTask<Socket>> AcceptConnection { get; set; } =
        static (listener, cancellation) => listener.AcceptAsync(cancellation);

    /// <summary>
    /// An extra check of each accepted association request, after the transport's own: given the request and the
    /// connecting process's id (the kernel's word), a refusal or null. The same-host fast path uses it to confirm that
    /// the connecting node really listens at the address it claims.
    /// </summary>
    internal Func<AssociateRequest, int, string?>? VerifyPeer { get; set; }

    /// <summary>The control socket a node of this directory listening at <paramref name="host"/>:<paramref name="port"/> accepts on.</summary>
    internal string ControlSocketOf(string host, int port) => _files.SocketPath(host, port);

    /// <summary>The associations open now.</summary>
    internal IReadOnlyCollection<ShmAssociationHandle> OpenAssociations => Associations.Open.OfType<ShmAssociationHandle>().ToArray();

    private protected override Address StartListening()
    {
        if (!Directory.Exists(_files.Directory))
            throw new ConfigurationException(
                $"akka.remote.shm.directory: {_files.Directory} does not exist. Create it (owner-only, or 1777 like /dev/shm) " +
                "or point the setting at an existing directory; it is not created for you.");
        foreach (var stale in _files.RemoveStaleSockets(path => IsLive(path, Settings.ConnectionTimeout)))
            Log.Info("Removed shared-memory control socket {0}: nobody listens on it.", stale);

        var (socket, port, path) = BindControlSocket();
        _controlSocket = socket;
        _controlPath = path;
        var address = new Address(SchemeIdentifier, System.Name, Settings.Hostname, port);
        _acceptLoop = AcceptLoopAsync(socket);
        // A thread of its own, not a pool timer: a saturated thread pool (Akka's actors, hot reads) must not delay
        // this node's heartbeats until its peers declare it dead.
        _watchdog = new Thread(WatchdogLoop) { IsBackground = true, Name = $"shm-watchdog {port}" };
        _watchdog.Start();
        Log.Info("Shared-memory transport listening at {0} (control socket {1}).", address, path);
        return address;
    }

    private protected override async Task<AssociationHandle> ConnectAsync(Address local, Address remoteAddress)
    {
        var socketPath = _files.SocketPath(remoteAddress.Host!, remoteAddress.Port!.Value);
        if (!File.Exists(socketPath))
            throw new InvalidAssociationException($"No shared-memory node listens at {remoteAddress}: {socketPath} does not exist.");
        if (ShmFiles.NotOurSocket(socketPath) is { } notOurs)
            throw new InvalidAssociationException($"No shared-memory node of this user listens at {remoteAddress}: {socketPath} is there, but {notOurs}.");

        SharedSegment segment;
        try
        {
            segment = SharedSegment.Create(_files.NewSegmentName(local.Port ?? 0, remoteAddress.Port.Value), Settings.RingSize);
        }
        catch (IOException e)
        {
            Log.Error("Shared-memory association with {0} failed: {1} (akka.remote.shm.ring-size = {2})", remoteAddress, e.Message, Settings.RingSize);
            throw new InvalidAssociationException($"Could not associate with {remoteAddress} over shared memory: {e.Message}", e);
        }

        int listenerPid;
        long theirMaximum;
        try
        {
            (listenerPid, theirMaximum) = await RequestAssociationAsync(local, socketPath, segment, remoteAddress).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            segment.Dispose();
            if (e is InvalidAssociationException) throw;
            throw new InvalidAssociationException($"Could not associate with {remoteAddress} over shared memory: {e.Message}", e);
        }

        var handle = Register(segment, local, remoteAddress, listenerPid, theirMaximum);
        if (theirMaximum > 0) PayloadLimits.For(System).ReportPeer(remoteAddress, theirMaximum);
        Liveness.ReportAlive(remoteAddress, listenerPid);
        return handle;
    }

    private protected override async Task StopAcceptingAsync()
    {
        _watchdogStop.Set();
        _controlSocket?.Dispose();
        await _acceptLoop.ConfigureAwait(false);
    }

    private protected override void ReleaseListener()
    {
        if (_controlPath is not null) FileRemoval.TryDelete(_controlPath);
    }

    internal void Forget(ShmAssociationHandle handle) => Associations.Remove(handle);

    private ShmAssociationHandle Register(SharedSegment segment, Address local, Address remote, int peerPid, long peerMaximumFrameSize)
    {
        var handle = new ShmAssociationHandle(this, segment, local, remote, peerPid, peerMaximumFrameSize, Settings, Log);
        Associations.Add(handle);
        handle.Start();
        // Registered after the transport began stopping: shutdown may already have closed the others.
        if (Stopping.IsCancellationRequested) handle.Close("the transport shut down", notifyAkka: null);
        return handle;
    }

    /// <summary>Asks the listener to take the segment; returns its process id (the kernel's word) and its frame limit.</summary>
    private async Task<(int ListenerPid, long MaximumFrameSize)> RequestAssociationAsync(Address local, string socketPath, SharedSegment segment, Address remote)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Stopping);
        timeout.CancelAfter(Settings.ConnectionTimeout);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), timeout.Token).ConfigureAwait(false);
        var listener = PeerCredentials.Of(socket)
            ?? throw new InvalidAssociationException($"Cannot tell which process listens at {remote} (SO_PEERCRED): not associating.");
        if (listener.UserId != PeerCredentials.CurrentUserId)
            throw new InvalidAssociationException(
                $"The node listening at {remote} (process {listener.ProcessId}) runs as uid {listener.UserId}, this node as uid " +
                $"{PeerCredentials.CurrentUserId}: shared-memory associations are made between processes of one user only.");
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await ControlMessages.WriteRequestAsync(stream, new AssociateRequest(
            Environment.ProcessId, segment.Descriptor, segment.Path, remote.System, local.System, local.Host!, local.Port ?? 0,
            Settings.MaximumFrameSize), timeout.Token).ConfigureAwait(false);
        var reply = await ControlMessages.ReadReplyAsync(stream, timeout.Token).ConfigureAwait(false);
        if (!reply.Accepted)
            throw new InvalidAssociationException($"{remote} refused the shared-memory association: {reply.Message}");
        return (listener.ProcessId, reply.MaximumFrameSize);
    }

    /// <summary>
    /// Accepts control connections until the transport stops. Nothing a connecting process does, and no error of
    /// accept itself (out of descriptors, a peer gone before it was accepted), ends this loop: each is logged
    /// (rate-limited) and the loop goes on.
    /// </summary>
    private async Task AcceptLoopAsync(Socket listener)
    {
        var failures = 0;
        while (!Stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await AcceptConnection(listener, Stopping).ConfigureAwait(false);
                failures = 0;
            }
            catch (Exception) when (Stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures++;
                Warn("accept", "Shared-memory control socket {0}: accepting a connection failed ({1} in a row), going on: {2}",
                    _controlPath, failures, e.Message);
                // Out of descriptors (EMFILE) does not clear at once: back off instead of spinning on it.
                try
                {
                    await Task.Delay(Math.Min(1000, 10 * failures), Stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            if (Interlocked.Increment(ref _unidentified) > Settings.MaxUnidentifiedConnections)
            {
                Interlocked.Decrement(ref _unidentified);
                client.Dispose();
                Warn("unidentified", "Shared-memory control socket {0}: closed a connection at once, {1} connections have not sent " +
                    "their request yet (akka.remote.shm.max-unidentified-connections = {1}).", _controlPath, Settings.MaxUnidentifiedConnections);
                continue;
            }

            _ = AcceptAssociationAsync(client);
        }
    }

    private async Task AcceptAssociationAsync(Socket client)
    {
        var identified = false;
        SharedSegment? segment = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Stopping);
        try
        {
            using var _ = client;
            timeout.CancelAfter(Settings.ConnectionTimeout);
            await using var stream = new NetworkStream(client, ownsSocket: false);
            AssociateRequest? request;
            try
            {
                request = await ControlMessages.ReadRequestAsync(stream, timeout.Token).ConfigureAwait(false);
            }
            catch (InvalidDataException e)
            {
                Identified(ref identified);
                Warn("garbage", "Shared-memory control socket {0}: refused a connection that sent garbage: {1}", _controlPath, e.Message);
                await ControlMessages.WriteReplyAsync(stream, new AssociateReply(false, e.Message), timeout.Token).ConfigureAwait(false);
                return;
            }
            finally
            {
                Identified(ref identified);
            }

            if (request is null) return; // a liveness probe (a node checking whether this port is taken)
            var peer = PeerCredentials.Of(client);
            var refusal = Check(request, peer);
            if (refusal is null && VerifyPeer is { } verify) refusal = verify(request, peer!.Value.ProcessId);
            if (refusal is null)
            {
                if (peer!.Value.ProcessId != request.Pid)
                    Warn("declared-pid", "Shared-memory association from {0}@{1}:{2}: it declared process {3}, the kernel says {4}; " +
                        "using the kernel's.", request.System, request.Host, request.Port, request.Pid, peer.Value.ProcessId);
                try
                {
                    segment = SharedSegment.Open(peer.Value.ProcessId, request.SegmentDescriptor, request.SegmentName);
                    segment.Accept(Environment.ProcessId, MonotonicClock.NowMs);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    refusal = e.Message;
                }
            }

            if (refusal is not null)
            {
                Warn("refused", "Shared-memory association from {0}@{1}:{2} (process {3}) refused: {4}",
                    request.System, request.Host, request.Port, peer?.ProcessId.ToString() ?? "unknown", refusal);
                await ControlMessages.WriteReplyAsync(stream, new AssociateReply(false, refusal), timeout.Token).ConfigureAwait(false);
                return;
            }

            var remote = new Address(SchemeIdentifier, request.System, request.Host, request.Port);
            var pid = peer!.Value.ProcessId;
            var handle = Register(segment!, LocalAddress!, remote, pid, request.MaximumFrameSize);
            segment = null;
            try
            {
                await ControlMessages.WriteReplyAsync(stream, new AssociateReply(true, "accepted", Settings.MaximumFrameSize), timeout.Token)
                    .ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                handle.Close($"the connecting side left before the association was confirmed: {e.Message}", notifyAkka: null);
                return;
            }

            PayloadLimits.For(System).ReportPeer(remote, request.MaximumFrameSize);
            Liveness.ReportAlive(remote, pid);
            await NotifyInboundAsync(handle).ConfigureAwait(false);
        }
        catch (Exception) when (Stopping.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Warn("silent", "Shared-memory control socket {0}: closed a connection that sent no complete request within {1} ms " +
                "(akka.remote.shm.connection-timeout).", _controlPath, Settings.ConnectionTimeout.TotalMilliseconds);
        }
        catch (Exception e)
        {
            // Anything else: logged, and only this connection ends; the accept loop is not affected.
            Warn("control-connection", "Shared-memory control connection on {0} failed: {1}", _controlPath, e.Message);
        }
        finally
        {
            Identified(ref identified);
            segment?.Dispose();
        }
    }

    /// <summary>Counts a connection out of the unidentified ones, once.</summary>
    private void Identified(ref bool identified)
    {
        if (identified) return;
        identified = true;
        Interlocked.Decrement(ref _unidentified);
    }

    private string? Check(AssociateRequest request, PeerCredentials? peer)
    {
        if (peer is not { } credentials)
            return "the kernel did not say which process connected (SO_PEERCRED)";
        if (credentials.UserId != PeerCredentials.CurrentUserId)
            return $"process {credentials.ProcessId} runs as uid {credentials.UserId}, this node as uid {PeerCredentials.CurrentUserId}: " +
                "shared-memory associations are made between processes of one user only";
        if (!string.Equals(request.TargetSystem, System.Name, StringComparison.Ordinal))
            return $"this node is system '{System.Name}', not '{request.TargetSystem}'";
        if (string.IsNullOrEmpty(request.System) || string.IsNullOrEmpty(request.Host) || request.Port is < 0 or > 65535)
            return "the connecting node did not give a valid address";
        if (request.SegmentDescriptor < 0)
            return $"segment descriptor {request.SegmentDescriptor} is not a descriptor";
        if (request.MaximumFrameSize <= 0)
            return $"the connecting node did not give a valid maximum-frame-size ({request.MaximumFrameSize})";
        return null;
    }

    private void Warn(string kind, string format, params object?[] args) =>
        Errors.Warning(kind, string.Format(global::System.Globalization.CultureInfo.InvariantCulture, format, args));

    private void WatchdogLoop()
    {
        while (!_watchdogStop.Wait(Settings.WatchdogInterval)) CheckPeers();
    }

    /// <summary>
    /// One watchdog tick: writes this node's heartbeats and judges each peer by its pid and heartbeat age.
    /// </summary>
    /// <remarks>
    /// A tick that comes much later than planned means this process was itself paused (SIGSTOP, a long GC, a host
    /// that stopped scheduling it), and whatever paused it may have paused its peers' watchdogs too: ages measured
    /// across the pause say nothing about them. So after a late tick every peer gets a fresh heartbeat-timeout,
    /// counted from that tick, before it is judged by heartbeat age again; pid checks still apply at once.
    /// </remarks>
    internal void CheckPeers()
    {
        try
        {
            lock (_watchdogLock)
            {
                var now = WatchdogClock();
                var late = _lastTickMs == 0 ? 0 : now - _lastTickMs - (long)Settings.WatchdogInterval.TotalMilliseconds;
                _lastTickMs = now;
                // A few hundred ms late is ordinary on a loaded host and inflates ages by little; a pause of a fifth of
                // heartbeat-timeout or more is what could turn into a false verdict.
                var timeoutMs = (long)Settings.HeartbeatTimeout.TotalMilliseconds;
                if (late >= Math.Max((long)Settings.HeartbeatInterval.TotalMilliseconds, timeoutMs / 5))
                {
                    _judgeHeartbeatsFromMs = now;
                    if (!Associations.IsEmpty)
                        Warn("late-watchdog", "Shared-memory watchdog ran {0} ms late (this process was paused or starved): peers' " +
                            "heartbeats are judged again only after a fresh heartbeat-timeout ({1} ms).", late, timeoutMs);
                }

                foreach (var association in Associations.Open) ((ShmAssociationHandle)association).CheckPeer(now, _judgeHeartbeatsFromMs);
            }
        }
        catch (Exception e)
        {
            Log.Error(e, "Shared-memory watchdog failed.");
        }
    }

    private (Socket Socket, int Port, string Path) BindControlSocket()
    {
        if (Settings.Port != 0)
        {
            var path = _files.SocketPath(Settings.Hostname, Settings.Port);
            return (TryBind(path) ?? throw new InvalidOperationException(
                $"Cannot listen at shm://{System.Name}@{Settings.Hostname}:{Settings.Port}: a live node already owns {path}" +
                (ShmFiles.NotOurSocket(path) is { } notOurs ? $" (or something that is not ours: {notOurs})." : ".")), Settings.Port, path);
        }

        foreach (var port in Settings.FreePortCandidates())
        {
            var path = _files.SocketPath(Settings.Hostname, port);
            if (File.Exists(path)) continue;
            var socket = TryBind(path);
            if (socket is not null) return (socket, port, path);
        }

        throw new InvalidOperationException(
            $"No free shared-memory port for host '{Settings.Hostname}' in {_files.Directory} after {Settings.FreePortRange} " +
            "(akka.remote.shm.free-port-min, free-port-max, free-port-attempts).");
    }

    private Socket? TryBind(string path)
    {
        if (File.Exists(path))
        {
            if (ShmFiles.NotOurSocket(path) is { } notOurs)
            {
                Warn("foreign-file", "Shared-memory port file {0} is taken by something that is not ours ({1}): left alone.", path, notOurs);
                return null;
            }

            if (IsLive(path, Settings.ConnectionTimeout)) return null;
            Log.Info("Removing stale shared-memory control socket {0}: nobody answers on it.", path);
            FileRemoval.TryDelete(path);
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, Settings.FileMode);
            socket.Listen(64);
            return socket;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>
    /// Whether a node answers on the control socket. Only "connection refused" (the file is there, nobody listens)
    /// counts as dead: any other error (another user's socket, a full backlog) is left alone, and a connect that
    /// neither succeeds nor fails within <paramref name="timeout"/> counts as alive (something holds the name).
    /// </summary>
    internal static bool IsLive(string path, TimeSpan timeout)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            probe.ConnectAsync(new UnixDomainSocketEndPoint(path), cancel.Token).AsTask().GetAwaiter().GetResult();
            return true;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode != SocketError.ConnectionRefused;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }
}
