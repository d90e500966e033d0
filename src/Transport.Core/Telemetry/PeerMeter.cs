using System.Diagnostics.Metrics;
using Akka.Actor;

namespace XStateNet.Actors.Transport.Telemetry;

/// <summary>
/// One association's view of <see cref="TransportMetrics"/>: its tags, built once, and the counting its reader and
/// writer do per message. Registered with <see cref="OpenAssociations"/> until disposed, for the observed gauges.
/// With the system's metrics switched off (<see cref="TelemetrySwitches.Metrics"/>) it counts nothing and is not
/// registered: a message then costs one field read.
/// </summary>
internal sealed class PeerMeter : IDisposable
{
    private readonly KeyValuePair<string, object?> _transport;
    private readonly KeyValuePair<string, object?> _peer;
    private readonly Func<long> _queuedBytes;
    private readonly bool _on;
    private int _disposed;

    /// <param name="system">The transport's actor system (its <see cref="TelemetrySwitches"/>).</param>
    /// <param name="transport">The transport's scheme (<c>pipe</c>, <c>shm</c>).</param>
    /// <param name="peer">The peer's address.</param>
    /// <param name="queuedBytes">Bytes written for the peer and not yet taken (read only when the gauge is observed).</param>
    public PeerMeter(ActorSystem system, string transport, Address peer, Func<long> queuedBytes)
    {
        _on = TelemetrySwitches.For(system).Metrics;
        TransportMetrics.EnsureCreated();
        Transport = transport;
        Peer = peer.ToString();
        _transport = new(TransportMetrics.TransportTag, Transport);
        _peer = new(TransportMetrics.PeerTag, Peer);
        _queuedBytes = queuedBytes;
        if (_on) OpenAssociations.Add(this);
    }

    /// <summary>The transport's scheme.</summary>
    public string Transport { get; }

    /// <summary>The peer's address, as tagged.</summary>
    public string Peer { get; }

    internal KeyValuePair<string, object?> TransportTag => _transport;

    internal KeyValuePair<string, object?> PeerTag => _peer;

    /// <summary>A payload of <paramref name="bytes"/> was handed to the connection.</summary>
    public void Sent(int bytes)
    {
        if (!_on) return;
        if (TransportMetrics.Sent.Enabled) TransportMetrics.Sent.Add(1, _transport, _peer);
        if (TransportMetrics.SentBytes.Enabled) TransportMetrics.SentBytes.Add(bytes, _transport, _peer);
    }

    /// <summary>A payload of <paramref name="bytes"/> from the peer was handed to Akka.</summary>
    public void Received(int bytes)
    {
        if (!_on) return;
        if (TransportMetrics.Received.Enabled) TransportMetrics.Received.Add(1, _transport, _peer);
        if (TransportMetrics.ReceivedBytes.Enabled) TransportMetrics.ReceivedBytes.Add(bytes, _transport, _peer);
    }

    /// <summary>A write was refused because the way to the peer was full.</summary>
    public void BackedOff()
    {
        if (!_on) return;
        if (TransportMetrics.Refused.Enabled) TransportMetrics.Refused.Add(1, _transport, _peer);
    }

    /// <summary>Reads the bytes queued for the peer now.</summary>
    internal Measurement<long> Queued() => new(_queuedBytes(), _transport, _peer);

    /// <summary>The association closed.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) OpenAssociations.Remove(this);
    }
}
