namespace XStateNet.Actors.Bench.CrossProcess.Soak;

/// <summary>
/// The soak's messages are plain <see cref="long"/>s (Akka's own primitive serializer, so the soak measures the
/// transports, not a serializer): a sender index and a sequence number, or, negated, an acknowledgement.
/// </summary>
internal static class SoakWire
{
    private const int SequenceBits = 40;
    private const long SequenceMask = (1L << SequenceBits) - 1;

    /// <summary>Message <paramref name="sequence"/> (from 1) of node <paramref name="sender"/>.</summary>
    public static long Data(int sender, long sequence) => ((long)sender << SequenceBits) | sequence;

    /// <summary>Node <paramref name="receiver"/> has received <paramref name="count"/> messages from the node it acknowledges to.</summary>
    public static long Ack(int receiver, long count) => -(((long)receiver << SequenceBits) | count);

    public static bool IsAck(long message) => message < 0;

    public static (int Node, long Value) Split(long message)
    {
        var positive = message < 0 ? -message : message;
        return ((int)(positive >> SequenceBits), positive & SequenceMask);
    }
}
