namespace XStateNet.Actors.Transport;

/// <summary>The read side of one connection, as <see cref="HotReadPump"/> drives it from the thread pool.</summary>
internal interface IPollableReader
{
    /// <summary>
    /// Hands Akka every complete message that can be read without waiting and returns how many it delivered.
    /// Must never block: an incomplete message stays buffered for the next call or for the connection's own thread.
    /// </summary>
    int ReadAvailable();

    /// <summary>
    /// True when the connection's own thread must take over at once: the connection is closing or has ended, or the next
    /// message can only be read with a call that waits.
    /// </summary>
    bool HandBack { get; }
}
