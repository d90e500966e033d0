namespace XStateNet.Actors.Transport;

/// <summary>
/// The read side of one association as its own thread drives it (see <see cref="ReaderThread"/>): a read that may
/// sleep until something arrives, beside the non-waiting read the <see cref="HotReadPump"/> polls.
/// </summary>
internal interface IWaitingReader : IPollableReader
{
    /// <summary>
    /// Waits, sleeping in the kernel or the transport's idle strategy, until it has handed Akka at least one message;
    /// returns false instead when the association has ended (closed here, by the peer, or its input was bad: the
    /// transport has then dealt with the end). Called only on the association's own thread, never while the pump reads.
    /// </summary>
    bool ReadWaiting();
}
