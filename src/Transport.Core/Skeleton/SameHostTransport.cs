using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Remote.Transport;

namespace XStateNet.Actors.Transport;

/// <summary>
/// What every same-host transport shares, as Akka's <c>DotNettyTransport</c> is to its TCP flavours: settings, scheme and
/// payload limit; listening (failing through the task, never by a throw); the one way to hand inbound associations
/// to Akka once it has registered its listener; associating (with Akka's contract: failure is an
/// <see cref="InvalidAssociationException"/>); the registry of open associations; and shutdown. A transport adds only
/// how it binds and accepts, how it connects, and its associations' reading and writing.
/// </summary>
/// <typeparam name="TSettings">The transport's settings.</typeparam>
public abstract class SameHostTransport<TSettings> : Akka.Remote.Transport.Transport
    where TSettings : SameHostTransportSettings
{
    private readonly TaskCompletionSource<IAssociationEventListener> _associationListener =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private int _listening;
    private int _stopped;

    private protected SameHostTransport(ActorSystem system, Config? config, TSettings settings)
    {
        ArgumentNullException.ThrowIfNull(system);
        System = system;
        Config = config ?? Config.Empty;
        Settings = settings;
        SchemeIdentifier = settings.TransportProtocol;
        MaximumPayloadBytes = settings.MaximumFrameSize;
        Log = Logging.GetLogger(system, GetType());
        Errors = new ThrottledLog(Log);
        Liveness = PeerLiveness.For(system);
        PayloadLimits.For(system).ReportLocal(SchemeIdentifier, settings.MaximumFrameSize);
    }

    /// <summary>The settings this transport runs with.</summary>
    public TSettings Settings { get; }

    /// <summary>This transport's address once listening (<c>scheme://system@host:port</c>, without Akka's prefix).</summary>
    public Address? LocalAddress { get; private set; }

    internal PeerLiveness Liveness { get; }

    private protected ILoggingAdapter Log { get; }

    /// <summary>The log for what a peer or a stranger can cause, rate-limited per kind of line.</summary>
    private protected ThrottledLog Errors { get; }

    /// <summary>The associations open now.</summary>
    private protected AssociationRegistry Associations { get; } = new();

    /// <summary>Cancelled when the transport shuts down.</summary>
    private protected CancellationToken Stopping => _stopping.Token;

    /// <inheritdoc />
    /// <remarks>
    /// Fails through the returned task, never by throwing: Akka's endpoint manager starts every transport's
    /// <c>Listen</c> inside one <c>Task.WhenAll</c>, and a synchronous throw there kills the manager without failing the
    /// start, so <c>ActorSystem.Create</c> would hang instead of reporting, say, a taken port.
    /// </remarks>
    public sealed override Task<(Address, TaskCompletionSource<IAssociationEventListener>)> Listen() =>
        TransportListening.Start(() =>
        {
            if (Interlocked.Exchange(ref _listening, 1) != 0)
                throw new InvalidOperationException($"The {SchemeIdentifier} transport already listens at {LocalAddress}.");
            try
            {
                LocalAddress = StartListening();
                Liveness.NoteListening(SchemeIdentifier, LocalAddress);
            }
            catch
            {
                Volatile.Write(ref _listening, 0);
                throw;
            }

            return (LocalAddress, _associationListener);
        });

    /// <summary>Binds this node's listener and starts accepting; returns this node's address.</summary>
    private protected abstract Address StartListening();

    /// <inheritdoc />
    public override bool IsResponsibleFor(Address remote) => true;

    /// <inheritdoc />
    /// <remarks>
    /// Fails with <see cref="InvalidAssociationException"/> whatever the medium's own error was, as Akka's TCP transport
    /// does: nobody listening, a listener of another user, a peer that is not one of ours, a timeout.
    /// </remarks>
    public sealed override async Task<AssociationHandle> Associate(Address remoteAddress)
    {
        ArgumentNullException.ThrowIfNull(remoteAddress);
        var local = LocalAddress ?? throw new InvalidOperationException($"The {SchemeIdentifier} transport must listen before it associates.");
        if (remoteAddress.Host is null || remoteAddress.Port is null)
            throw new InvalidAssociationException(
                $"{remoteAddress} has no host and port: a {SchemeIdentifier} address is {SchemeIdentifier}://<system>@<host>:<port>.");
        try
        {
            return await ConnectAsync(local, remoteAddress).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not InvalidAssociationException && !(e is OperationCanceledException && Stopping.IsCancellationRequested))
        {
            throw new InvalidAssociationException($"Could not associate with {remoteAddress} over {SchemeIdentifier}: {e.Message}", e);
        }
    }

    /// <summary>Connects to the node at <paramref name="remote"/> and returns the association, registered and started.</summary>
    private protected abstract Task<AssociationHandle> ConnectAsync(Address local, Address remote);

    /// <summary>
    /// Hands an accepted association to Akka: at once if Akka has registered its listener, otherwise when it does
    /// (Akka registers it right after <see cref="Listen"/>). Abandoned if the transport stops first.
    /// </summary>
    private protected async Task NotifyInboundAsync(AssociationHandle handle)
    {
        var listener = await _associationListener.Task.WaitAsync(Stopping).ConfigureAwait(false);
        listener.Notify(new InboundAssociation(handle));
    }

    /// <inheritdoc />
    /// <remarks>Stops accepting, closes every open association (waiting up to <c>connection-timeout</c> for them), then releases the listener's files.</remarks>
    public sealed override async Task<bool> Shutdown()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return true;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await StopAcceptingAsync().ConfigureAwait(false);
        await Associations.CloseAllAsync("the transport shut down", Settings.ConnectionTimeout).ConfigureAwait(false);
        ReleaseListener();
        Liveness.NoteStopped(SchemeIdentifier);
        Log.Debug("{0} transport at {1} shut down", SchemeIdentifier, LocalAddress);
        return true;
    }

    /// <summary>Stops accepting: called once, after <see cref="Stopping"/> is cancelled and before associations close.</summary>
    private protected abstract Task StopAcceptingAsync();

    /// <summary>Removes the listener's files: called once, after every association has closed (or had its time).</summary>
    private protected abstract void ReleaseListener();
}
