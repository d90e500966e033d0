using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Event;

namespace XStateNet.Actors.Transport.SameHost;

/// <summary>Says once per peer why an association with it runs on TCP instead of the ring.</summary>
internal sealed class FallbackLog(ILoggingAdapter log)
{
    private readonly ConcurrentDictionary<PeerKey, byte> _told = new();

    /// <summary>Logs <paramref name="why"/> for <paramref name="peer"/> unless this was said for that peer before.</summary>
    /// <param name="peer">The peer's address.</param>
    /// <param name="why">Why the ring is not used.</param>
    /// <param name="expected">
    /// True when TCP is the expected path (no endpoint of the peer in this node's directory: another host, or a node
    /// without the fast path): Info. False when the ring was there and failed: Warning.
    /// </param>
    public void Note(Address peer, string why, bool expected)
    {
        if (!_told.TryAdd(PeerKey.Of(peer), 0)) return;
        const string format = "Same-host fast path: associations with {0} use TCP: {1}";
        if (expected) log.Info(format, peer, why);
        else log.Warning(format, peer, why);
    }
}
