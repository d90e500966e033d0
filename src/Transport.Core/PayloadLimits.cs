using System.Collections.Concurrent;
using Akka.Actor;

namespace XStateNet.Actors.Transport;

/// <summary>
/// The largest payload each of this node's transports accepts, and the largest each peer said it accepts when the
/// association was made.
/// </summary>
/// <remarks>
/// Akka.Remote drops a message whose encoded size is over the transport's limit with an error in the log, and a
/// peer with a smaller limit than ours refuses such a frame. Neither reaches the actor that sent it. Senders that
/// want to tell their caller (a machine raising <c>error.communication</c>) ask <see cref="LimitFor"/> first.
/// </remarks>
public sealed class PayloadLimits : IExtension
{
    private readonly ConcurrentDictionary<string, long> _local = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<PeerKey, long> _peers = new();
    private int _version;

    /// <summary>The payload limits of <paramref name="system"/>.</summary>
    public static PayloadLimits For(ActorSystem system) => system.WithExtension<PayloadLimits, PayloadLimitsProvider>();

    /// <summary>Records the limit of this node's transport for <paramref name="scheme"/> (<c>pipe</c>, <c>shm</c>, <c>tcp</c>).</summary>
    public void ReportLocal(string scheme, long maximumPayloadBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maximumPayloadBytes);
        _local[StripAkkaPrefix(scheme)] = maximumPayloadBytes;
        Interlocked.Increment(ref _version);
    }

    /// <summary>Records the limit a peer announced in its handshake (the address as the transport or as Akka sees it).</summary>
    public void ReportPeer(Address remote, long maximumPayloadBytes)
    {
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maximumPayloadBytes);
        _peers[PeerKey.Of(remote)] = maximumPayloadBytes;
        Interlocked.Increment(ref _version);
    }

    /// <summary>
    /// Changes after every report, once the reported limit is visible to <see cref="LimitFor"/>: a sender that keeps
    /// limits per target (a look-up here costs a key and two hashed look-ups) asks again only when it changed.
    /// </summary>
    internal int Version => Volatile.Read(ref _version);

    /// <summary>
    /// The largest payload that can reach <paramref name="remote"/>: the smaller of this node's limit for its scheme
    /// and the peer's announced limit; null when neither is known.
    /// </summary>
    public long? LimitFor(Address remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var key = PeerKey.Of(remote);
        long? local = _local.TryGetValue(key.Protocol, out var l) ? l : null;
        long? peer = _peers.TryGetValue(key, out var p) ? p : null;
        return (local, peer) switch
        {
            (null, null) => null,
            ({ } a, null) => a,
            (null, { } b) => b,
            ({ } a, { } b) => Math.Min(a, b),
        };
    }

    private static string StripAkkaPrefix(string scheme) =>
        scheme.StartsWith("akka.", StringComparison.Ordinal) ? scheme["akka.".Length..] : scheme;
}

/// <summary>Creates the <see cref="PayloadLimits"/> extension.</summary>
public sealed class PayloadLimitsProvider : ExtensionIdProvider<PayloadLimits>
{
    /// <inheritdoc />
    public override PayloadLimits CreateExtension(ExtendedActorSystem system)
    {
        var limits = new PayloadLimits();
        ConfiguredPayloadLimits.Report(system, limits);
        return limits;
    }
}
