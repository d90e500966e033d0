using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace XStateNet.Actors.Transport.Telemetry;

/// <summary>The associations open in this process, for the observed instruments of <see cref="TransportMetrics"/>.</summary>
internal static class OpenAssociations
{
    private static readonly ConcurrentDictionary<PeerMeter, byte> Open = new(ReferenceEqualityComparer.Instance);

    public static void Add(PeerMeter meter) => Open[meter] = 0;

    public static void Remove(PeerMeter meter) => Open.TryRemove(meter, out _);

    /// <summary>One measurement per open association: its peer's queued bytes (an association is one way to the peer).</summary>
    public static IEnumerable<Measurement<long>> ObserveQueued()
    {
        // Two associations with one peer (each side opened one) are summed: one measurement per tag set.
        return Open.Keys
            .GroupBy(m => (m.Transport, m.Peer))
            .Select(g =>
            {
                long sum = 0;
                foreach (var m in g) sum += m.Queued().Value;
                var first = g.First();
                return new Measurement<long>(sum, first.TransportTag, first.PeerTag);
            })
            .ToArray();
    }

    /// <summary>One measurement per peer: how many associations are open with it.</summary>
    public static IEnumerable<Measurement<long>> ObserveOpen() =>
        Open.Keys
            .GroupBy(m => (m.Transport, m.Peer))
            .Select(g => new Measurement<long>(g.Count(), g.First().TransportTag, g.First().PeerTag))
            .ToArray();
}
