namespace XStateNet.Actors.Transport.SharedMemory.Ring;

/// <summary>What an association's reader does once spinning and yielding found nothing (<c>idle-strategy</c>).</summary>
public enum ShmIdleStrategy
{
    /// <summary>Sleep on a futex in the shared mapping; the writer wakes it. No CPU while idle. The default.</summary>
    Futex,

    /// <summary>Poll every millisecond with Thread.Sleep: portable, a little CPU and up to ~1 ms of added latency.</summary>
    Sleep,

    /// <summary>Never sleep (spin and yield forever): lowest latency, one busy core per association.</summary>
    Spin,
}
