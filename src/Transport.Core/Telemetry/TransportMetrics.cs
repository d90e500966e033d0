using System.Diagnostics;
using System.Diagnostics.Metrics;
using Akka.Actor;

namespace XStateNet.Actors.Transport.Telemetry;

/// <summary>
/// The meter of the same-host transports (pipe and shared memory alike): the same instruments for both, tagged
/// with <see cref="TransportTag"/> (<c>pipe</c>, <c>shm</c>) and <see cref="PeerTag"/> (the peer's address). Add
/// <see cref="MeterName"/> to an OpenTelemetry <c>MeterProviderBuilder</c> (<c>AddMeter</c>) or listen with a
/// <see cref="MeterListener"/>.
/// </summary>
/// <remarks>
/// Nobody listening costs a message one field read per instrument (<see cref="Instrument.Enabled"/>); the tags of an
/// association are built once when it opens, so counting allocates nothing.
/// </remarks>
public static class TransportMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "XStateNet.Actors.Transport";

    /// <summary>The tag naming the transport (its scheme: <c>pipe</c> or <c>shm</c>).</summary>
    public const string TransportTag = "xstatenet.transport";

    /// <summary>The tag naming the peer (its address as the transport sees it, <c>pipe://sys@host:port</c>).</summary>
    public const string PeerTag = "xstatenet.peer";

    /// <summary>The tag of a liveness verdict: <c>exited</c> (the kernel no longer runs its process) or <c>unresponsive</c>.</summary>
    public const string VerdictTag = "xstatenet.verdict";

    /// <summary>Counter (<c>{message}</c>): payloads handed to the connection for the peer.</summary>
    public const string MessagesSent = "xstatenet.transport.messages.sent";

    /// <summary>Counter (<c>{message}</c>): payloads from the peer handed to Akka.</summary>
    public const string MessagesReceived = "xstatenet.transport.messages.received";

    /// <summary>Counter (<c>By</c>): payload bytes handed to the connection for the peer.</summary>
    public const string BytesSent = "xstatenet.transport.bytes.sent";

    /// <summary>Counter (<c>By</c>): payload bytes from the peer handed to Akka.</summary>
    public const string BytesReceived = "xstatenet.transport.bytes.received";

    /// <summary>
    /// Counter (<c>{backoff}</c>): writes refused because the way to the peer was full (the shared-memory ring, the
    /// pipe's outbound queue); Akka's endpoint writer backs off and retries.
    /// </summary>
    public const string Backoffs = "xstatenet.transport.backoffs";

    /// <summary>
    /// Gauge (<c>By</c>): bytes written for the peer and not yet taken by it: the fill of the shared-memory ring, the
    /// bytes of the pipe's outbound queue.
    /// </summary>
    public const string OutboundQueued = "xstatenet.transport.outbound.queued";

    /// <summary>Up-down counter (<c>{association}</c>), observed: associations open with the peer.</summary>
    public const string AssociationsOpen = "xstatenet.transport.associations.open";

    /// <summary>Counter (<c>{verdict}</c>): peers judged gone, tagged <see cref="VerdictTag"/>.</summary>
    public const string PeerVerdicts = "xstatenet.transport.peer.verdicts";

    /// <summary>
    /// Histogram (<c>s</c>): from the peer's last sign of life the transport saw (bytes, a heartbeat, the end of its
    /// pipe) to the verdict that it is gone.
    /// </summary>
    public const string DetectionDuration = "xstatenet.transport.peer.detection.duration";

    internal static readonly Meter Meter = new(MeterName, typeof(TransportMetrics).Assembly.GetName().Version?.ToString());

    internal static readonly Counter<long> Sent = Meter.CreateCounter<long>(MessagesSent, "{message}", "Payloads handed to the connection for the peer.");
    internal static readonly Counter<long> Received = Meter.CreateCounter<long>(MessagesReceived, "{message}", "Payloads from the peer handed to Akka.");
    internal static readonly Counter<long> SentBytes = Meter.CreateCounter<long>(BytesSent, "By", "Payload bytes handed to the connection for the peer.");
    internal static readonly Counter<long> ReceivedBytes = Meter.CreateCounter<long>(BytesReceived, "By", "Payload bytes from the peer handed to Akka.");
    internal static readonly Counter<long> Refused = Meter.CreateCounter<long>(Backoffs, "{backoff}", "Writes refused because the way to the peer was full (Akka retries).");
    internal static readonly Counter<long> Verdicts = Meter.CreateCounter<long>(PeerVerdicts, "{verdict}", "Peers judged gone.");
    internal static readonly Histogram<double> Detection = Meter.CreateHistogram<double>(DetectionDuration, "s",
        "From the peer's last sign of life the transport saw to the verdict that it is gone.");

    static TransportMetrics()
    {
        Meter.CreateObservableGauge(OutboundQueued, OpenAssociations.ObserveQueued, "By",
            "Bytes written for the peer and not yet taken by it (ring fill, pipe outbound queue).");
        Meter.CreateObservableUpDownCounter(AssociationsOpen, OpenAssociations.ObserveOpen, "{association}",
            "Associations open with the peer.");
    }

    /// <summary>Counts a liveness verdict on <paramref name="peer"/> and how long it took to reach (rare: tags built here).</summary>
    internal static void RecordVerdict(string transport, Address peer, bool exited, TimeSpan detection)
    {
        if (!Verdicts.Enabled && !Detection.Enabled) return;
        var tags = new TagList
        {
            { TransportTag, transport },
            { PeerTag, peer.ToString() },
            { VerdictTag, exited ? "exited" : "unresponsive" },
        };
        if (Verdicts.Enabled) Verdicts.Add(1, tags);
        if (Detection.Enabled) Detection.Record(Math.Max(0, detection.TotalSeconds), tags);
    }

    /// <summary>Creates the instruments (the observed ones included) before the first association opens.</summary>
    internal static void EnsureCreated()
    {
    }
}
