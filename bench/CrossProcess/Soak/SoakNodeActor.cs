using Akka.Actor;
using Akka.Event;
using Akka.Remote;

namespace XStateNet.Actors.Bench.CrossProcess.Soak;

/// <summary>
/// One soak node's actor: sends numbered messages to every peer (paced at a rate, or as fast as a window of
/// unacknowledged messages allows), counts what it receives from each, and counts peers declared gone.
/// </summary>
internal sealed class SoakNodeActor : UntypedActor, IWithTimers
{
    public sealed record Peers(int Self, IReadOnlyList<IActorRef?> Refs);

    /// <param name="PerPairRate">Messages per second to each peer; 0 is a flood limited only by <paramref name="Window"/>.</param>
    public sealed record Start(double PerPairRate, int Window);

    public sealed record Stop;

    public sealed record Report;

    private const int AckEvery = 100;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    private int _self;
    private IActorRef?[] _peers = [];
    private long[] _sent = [];
    private long[] _acked = [];
    private double[] _owed = [];
    private PairCounts[] _received = [];
    private Start? _running;
    private int _terminated;
    private int _quarantined;

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(QuarantinedEvent));
        Context.System.EventStream.Subscribe(Self, typeof(ThisActorSystemQuarantinedEvent));
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case long wire when SoakWire.IsAck(wire):
                var (from, count) = SoakWire.Split(wire);
                if (count > _acked[from]) _acked[from] = count;
                if (_running is { PerPairRate: 0 }) TopUp(from);
                break;
            case long wire:
                var (sender, sequence) = SoakWire.Split(wire);
                var counts = _received[sender];
                counts.Add(sequence);
                if (counts.Received % AckEvery == 0) _peers[sender]?.Tell(SoakWire.Ack(_self, counts.Received), Self);
                break;
            case Peers peers:
                _self = peers.Self;
                _peers = peers.Refs.ToArray();
                _sent = new long[_peers.Length];
                _acked = new long[_peers.Length];
                _owed = new double[_peers.Length];
                _received = _peers.Select(_ => new PairCounts()).ToArray();
                foreach (var peer in _peers.OfType<IActorRef>()) Context.Watch(peer);
                Sender.Tell("peers");
                break;
            case Start start:
                _running = start;
                Timers.StartPeriodicTimer("tick", "tick", Tick);
                for (var peer = 0; peer < _peers.Length; peer++) if (start.PerPairRate == 0) TopUp(peer);
                Sender.Tell("started");
                break;
            case "tick" when _running is { } running:
                for (var peer = 0; peer < _peers.Length; peer++)
                {
                    if (running.PerPairRate == 0)
                    {
                        TopUp(peer);
                        continue;
                    }

                    _owed[peer] += running.PerPairRate * Tick.TotalSeconds;
                    while (_owed[peer] >= 1)
                    {
                        Send(peer);
                        _owed[peer]--;
                    }
                }

                break;
            case Stop:
                _running = null;
                Timers.Cancel("tick");
                Sender.Tell("stopped");
                break;
            case Report:
                Sender.Tell(new SoakNodeReport(
                    _self,
                    _sent.ToArray(),
                    _received.Select(c => c.Received).ToArray(),
                    _received.Sum(c => c.Duplicates),
                    _received.Sum(c => c.OutOfOrder),
                    _terminated,
                    _quarantined));
                break;
            case Terminated:
                _terminated++;
                break;
            case QuarantinedEvent or ThisActorSystemQuarantinedEvent:
                _quarantined++;
                break;
        }
    }

    private void TopUp(int peer)
    {
        if (_peers[peer] is null) return;
        var window = _running?.Window ?? 0;
        while (_sent[peer] - _acked[peer] < window) Send(peer);
    }

    private void Send(int peer)
    {
        if (_peers[peer] is not { } target) return;
        _sent[peer]++;
        target.Tell(SoakWire.Data(_self, _sent[peer]), Self);
    }
}

/// <summary>One node's counts: sent to and received from each peer (by index), and the peers it declared gone.</summary>
internal sealed record SoakNodeReport(int Node, long[] SentTo, long[] ReceivedFrom, long Duplicates, long OutOfOrder, int PeersTerminated, int Quarantines);
