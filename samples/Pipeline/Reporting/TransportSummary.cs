using XStateNet.Actors.Samples.Pipeline;

namespace XStateNet.Actors.Samples.Pipeline.Reporting;

/// <summary>
/// The launcher's collection of the stages' transport figures: the latest of each stage process (a restarted stage is
/// a new process, counting from zero), summed per stage and peer for the summary.
/// </summary>
internal sealed class TransportSummary
{
    private readonly Dictionary<(StageRole Role, int Generation), IReadOnlyList<PeerFigures>> _latest = new();

    public void Update(StageRole role, int generation, IReadOnlyList<PeerFigures> peers) => _latest[(role, generation)] = peers;

    /// <summary>Per stage, in stage order, its peers' figures over every process it ran in (empty: the transport has no meter, e.g. TCP).</summary>
    public IReadOnlyList<(StageRole Role, IReadOnlyList<PeerFigures> Peers)> PerStage() =>
        Enum.GetValues<StageRole>().Select(role => (role, (IReadOnlyList<PeerFigures>)_latest
            .Where(e => e.Key.Role == role)
            .SelectMany(e => e.Value)
            .GroupBy(p => (p.Transport, p.Peer))
            .Select(g => new PeerFigures
            {
                Transport = g.Key.Transport,
                Peer = g.Key.Peer,
                MessagesSent = g.Sum(p => p.MessagesSent),
                MessagesReceived = g.Sum(p => p.MessagesReceived),
                BytesSent = g.Sum(p => p.BytesSent),
                BytesReceived = g.Sum(p => p.BytesReceived),
                Backoffs = g.Sum(p => p.Backoffs),
            })
            .OrderBy(p => p.Peer, StringComparer.Ordinal)
            .ToArray())).ToArray();
}
