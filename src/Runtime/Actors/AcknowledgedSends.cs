using Akka.Actor;

namespace XStateNet.Actors;

/// <summary>
/// A machine's sends to ids of an acknowledging prefix route (sharded machines): one channel per target id, its
/// events numbered from 1, each kept until the target acknowledges it (<see cref="EventAcknowledged"/>, told once the
/// target's new state is stored). Sharding may drop a message on its way (Akka's <c>ShardRegion</c> drops what it
/// buffered for a shard between <c>BeginHandOff</c> and <c>HandOff</c>; a shard handing off stops its entities and
/// sends what then reaches them to dead letters; a node that dies takes its mailboxes with it), so every
/// <c>redeliver-interval</c> without news from a target its unacknowledged events go again, in order, through the
/// route as it is then. The target applies each number once and only the next one, so a redelivered event is never
/// applied twice and none overtakes a lost one. An event unacknowledged after <c>give-up-after</c> becomes one
/// <c>error.communication</c> (with the events after it on that channel), and the channel starts again under a new
/// name (the target cannot tell whether the lost number will ever come, so the old channel could not go on). Names
/// are never reused; idle channels are dropped past <see cref="IdleChannelsKept"/>, so a machine that sends to
/// millions of ids keeps only those with events in flight.
/// </summary>
/// <remarks>Used on the owning actor's thread only. In memory: a sender that stops (or whose node dies) takes its
/// unacknowledged events with it, as the sender of a plain <c>Tell</c> would.</remarks>
internal sealed class AcknowledgedSends
{
    private static readonly object TimerKey = new();

    /// <summary>Past this many channels, the idle ones (nothing unacknowledged) are dropped; a later send opens a new one.</summary>
    private const int IdleChannelsKept = 4096;

    private readonly IActorContext _context;
    private readonly IWithTimers _timers;
    private readonly MachineRoutes _routes;
    private readonly string _machineId;
    private readonly Action<string, MachineEvent, string> _fail;
    private readonly Action<string, MachineEvent>? _acknowledged;
    private readonly string _incarnation = Convert.ToHexString(BitConverter.GetBytes(Random.Shared.NextInt64())).ToLowerInvariant();
    private readonly Dictionary<string, Channel> _channels = new(StringComparer.Ordinal);
    private bool _ticking;
    private long _nextEpoch;

    /// <summary>
    /// The sends of machine <paramref name="machineId"/>; <paramref name="fail"/> raises error.communication in it
    /// (target id, event, reason); <paramref name="acknowledged"/>, when given, hears of each event acknowledged
    /// (target id, the event as it was sent).
    /// </summary>
    public AcknowledgedSends(IActorContext context, IWithTimers timers, MachineRoutes routes, string machineId,
        Action<string, MachineEvent, string> fail, Action<string, MachineEvent>? acknowledged = null)
    {
        _context = context;
        _timers = timers;
        _routes = routes;
        _machineId = machineId;
        _fail = fail;
        _acknowledged = acknowledged;
    }

    /// <summary>Events sent and not acknowledged yet, over all targets.</summary>
    public int Unacknowledged
    {
        get
        {
            var count = 0;
            foreach (var channel in _channels.Values) count += channel.Pending.Count;
            return count;
        }
    }

    public void Send(PrefixRoute route, string targetMachineId, MachineEvent message)
    {
        if (!_channels.TryGetValue(targetMachineId, out var channel))
        {
            if (_channels.Count >= IdleChannelsKept) DropIdleChannels();
            // Every channel name is new (an epoch counted per sender, never reused): a target that remembers an old
            // channel's numbers can never take a new channel's 1 for a repeat.
            channel = new Channel(targetMachineId, ChannelName(_nextEpoch++));
            _channels.Add(targetMachineId, channel);
        }
        var now = DateTime.UtcNow;
        var pending = new Pending(++channel.Last, message, now);
        if (channel.Pending.Count == 0) channel.LastNews = now;
        channel.Pending.Enqueue(pending);
        Tell(route, channel, pending);
        if (!_ticking)
        {
            _ticking = true;
            _timers.Timers.StartPeriodicTimer(TimerKey, RedeliveryDue.Instance, _routes.RedeliverInterval);
        }
    }

    /// <summary>True when the acknowledgement was for one of this machine's channels (then it is handled).</summary>
    public bool OnAcknowledged(EventAcknowledged acknowledged)
    {
        if (!_channels.TryGetValue(acknowledged.TargetMachineId, out var channel) || channel.Name != acknowledged.Channel)
            return acknowledged.Channel.StartsWith(_machineId + "/", StringComparison.Ordinal); // an old channel's: nothing to do
        var any = false;
        while (channel.Pending.TryPeek(out var oldest) && oldest.Sequence <= acknowledged.UpTo)
        {
            channel.Pending.Dequeue();
            _acknowledged?.Invoke(channel.TargetMachineId, oldest.Event);
            any = true;
        }
        if (any) channel.LastNews = DateTime.UtcNow;
        return true;
    }

    public void OnRedeliveryDue()
    {
        var now = DateTime.UtcNow;
        var anyPending = false;
        foreach (var channel in _channels.Values)
        {
            if (channel.Pending.Count == 0) continue;
            var oldest = channel.Pending.Peek();
            if (now - oldest.FirstSent >= _routes.AcknowledgeGiveUp)
            {
                GiveUp(channel, oldest);
                continue;
            }
            anyPending = true;
            if (now - channel.LastNews < _routes.RedeliverInterval) continue; // acknowledgements are coming: let them
            if (!_routes.TryGetPrefixRoute(channel.TargetMachineId, out var route) || !route.Acknowledged)
            {
                GiveUp(channel, oldest, "its prefix route was removed or changed");
                continue;
            }
            channel.LastNews = now;
            foreach (var pending in channel.Pending)
            {
                pending.Sends++;
                Tell(route, channel, pending);
            }
        }
        if (!anyPending)
        {
            _timers.Timers.Cancel(TimerKey);
            _ticking = false;
        }
    }

    private void GiveUp(Channel channel, Pending oldest, string? why = null)
    {
        var reason = why is null
            ? $"not acknowledged within {_routes.AcknowledgeGiveUp.TotalSeconds:0.###} s (xstatenet.acknowledged-sends.give-up-after), " +
              $"sent {oldest.Sends} time(s); it may have been applied, never twice"
            : $"not acknowledged, and {why}; it may have been applied, never twice";
        while (channel.Pending.TryDequeue(out var pending)) _fail(channel.TargetMachineId, pending.Event, reason);
        // The target waits for the lost number before any later one: go on under a new channel name, from 1.
        channel.Name = ChannelName(_nextEpoch++);
        channel.Last = 0;
    }

    private void Tell(PrefixRoute route, Channel channel, Pending pending) =>
        route.Target.Tell(route.Address(channel.TargetMachineId, new AcknowledgedEvent(channel.Name, pending.Sequence, pending.Event)), _context.Self);

    private void DropIdleChannels()
    {
        foreach (var (target, channel) in _channels.ToList())
        {
            if (channel.Pending.Count == 0) _channels.Remove(target);
        }
    }

    private string ChannelName(long epoch) => $"{_machineId}/{_incarnation}.{epoch}";

    private sealed class Channel(string targetMachineId, string name)
    {
        public string TargetMachineId { get; } = targetMachineId;
        public string Name { get; set; } = name;
        public long Last { get; set; }
        /// <summary>When the target last acknowledged something, or the events last went again.</summary>
        public DateTime LastNews { get; set; }
        public Queue<Pending> Pending { get; } = new();
    }

    private sealed class Pending(long sequence, MachineEvent message, DateTime firstSent)
    {
        public long Sequence { get; } = sequence;
        public MachineEvent Event { get; } = message;
        public DateTime FirstSent { get; } = firstSent;
        public int Sends { get; set; } = 1;
    }
}
