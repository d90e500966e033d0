using System.Diagnostics.Metrics;
using XStateNet.Actors.Transport.Telemetry;

namespace XStateNet.Actors.Samples.Pipeline.Reporting;

/// <summary>
/// A stage's listener on the transport meter: sums, per peer, the counters the launcher's summary shows. The same
/// instruments an OpenTelemetry exporter would read; here a <see cref="MeterListener"/> in the stage's own process.
/// </summary>
internal sealed class TransportFigures : IDisposable
{
    private static readonly string[] Counted =
        [TransportMetrics.MessagesSent, TransportMetrics.MessagesReceived, TransportMetrics.BytesSent, TransportMetrics.BytesReceived, TransportMetrics.Backoffs];

    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Transport, string Peer), long[]> _peers = new();
    private long _version;

    public TransportFigures()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == TransportMetrics.MeterName && Array.IndexOf(Counted, instrument.Name) >= 0) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Changes whenever a figure does: the reporter writes the figures again only then.</summary>
    public long Version => Interlocked.Read(ref _version);

    public IReadOnlyList<PeerFigures> Snapshot()
    {
        lock (_gate)
        {
            return _peers.OrderBy(p => p.Key.Peer, StringComparer.Ordinal).Select(p => new PeerFigures
            {
                Transport = p.Key.Transport,
                Peer = p.Key.Peer,
                MessagesSent = p.Value[0],
                MessagesReceived = p.Value[1],
                BytesSent = p.Value[2],
                BytesReceived = p.Value[3],
                Backoffs = p.Value[4],
            }).ToArray();
        }
    }

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string transport = "?", peer = "?";
        foreach (var tag in tags)
        {
            if (tag.Key == TransportMetrics.TransportTag) transport = tag.Value as string ?? "?";
            else if (tag.Key == TransportMetrics.PeerTag) peer = tag.Value as string ?? "?";
        }
        var index = Array.IndexOf(Counted, instrument.Name);
        lock (_gate)
        {
            if (!_peers.TryGetValue((transport, peer), out var figures)) _peers[(transport, peer)] = figures = new long[Counted.Length];
            figures[index] += value;
        }
        Interlocked.Increment(ref _version);
    }

    public void Dispose() => _listener.Dispose();
}
