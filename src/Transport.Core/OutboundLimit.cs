using Akka.Actor;

namespace XStateNet.Actors.Transport;

/// <summary>
/// The largest payload one association may send: the smaller of this side's <c>maximum-frame-size</c>, the peer's
/// (announced when associating) and what the medium can carry. A bigger one is dropped by the sender with an error
/// naming the sizes, and the association stays up, as Akka does with a payload over the transport's own limit:
/// sending it would make the peer close the association as bad input.
/// </summary>
internal readonly struct OutboundLimit
{
    private readonly long _own;
    private readonly long _peer;

    public OutboundLimit(long own, long peer, long medium = long.MaxValue)
    {
        _own = own;
        _peer = peer > 0 ? peer : own;
        Bytes = Math.Min(Math.Min(_own, _peer), medium);
    }

    /// <summary>The limit in bytes; a payload of exactly this size is sent.</summary>
    public long Bytes { get; }

    /// <summary>Why a payload of <paramref name="length"/> bytes for <paramref name="peer"/> was dropped.</summary>
    public string Refusal(int length, Address peer) =>
        $"Discarding a payload of {length} bytes for {peer}: at most {Bytes} bytes may be sent " +
        $"(the peer accepts at most {_peer} bytes, its maximum-frame-size; this side's is {_own} bytes)";
}
