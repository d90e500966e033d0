namespace XStateNet.Actors.Transport;

/// <summary>
/// When one association last took bytes off its connection from the peer. A transport's reader calls
/// <see cref="Heard"/> once per batch it delivers to Akka (one clock read and one store: nothing on the hot path
/// worth measuring); <see cref="PeerLiveness.HeardWithin"/> reads it.
/// </summary>
/// <remarks>
/// Akka's remote watcher judges a peer by heartbeats that travel through the same association as the data. Under a
/// flood they queue behind thousands of messages and arrive seconds late, and the failure detector would declare a
/// peer dead while its messages are pouring in. On one host a peer whose bytes keep arriving is running.
/// </remarks>
internal sealed class PeerTraffic : IDisposable
{
    private readonly Action<PeerTraffic> _unregister;
    private readonly Func<long> _clockMs;
    private long _lastHeardMs;

    internal PeerTraffic(Func<long> clockMs, Action<PeerTraffic> unregister)
    {
        _clockMs = clockMs;
        _unregister = unregister;
        _lastHeardMs = clockMs();
    }

    /// <summary>The clock reading (ms) when the peer was last heard from.</summary>
    public long LastHeardMs => Volatile.Read(ref _lastHeardMs);

    /// <summary>Bytes from the peer were just delivered.</summary>
    public void Heard() => Volatile.Write(ref _lastHeardMs, _clockMs());

    /// <summary>The association closed: it says nothing about the peer any more.</summary>
    public void Dispose() => _unregister(this);
}
