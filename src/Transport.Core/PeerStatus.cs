namespace XStateNet.Actors.Transport;

/// <summary>What a node's transports know of one peer (see <see cref="PeerLiveness.Peers"/>).</summary>
/// <param name="Address">The peer's address as the transport saw it.</param>
/// <param name="ProcessId">The process that answered there last (the kernel's word), or null when none was seen alive.</param>
/// <param name="GoneReason">Why it was judged gone, or null while it is alive.</param>
public sealed record PeerStatus(string Address, int? ProcessId, string? GoneReason)
{
    /// <summary>True unless a transport judged the peer's process gone (and none has answered at its address since).</summary>
    public bool IsAlive => GoneReason is null;
}
