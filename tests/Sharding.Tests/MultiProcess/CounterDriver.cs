using Akka.Actor;

namespace XStateNet.Actors.Sharding.Tests.MultiProcess;

/// <summary>
/// Sends INC events to counter machines <c>order-0</c> … <c>order-(N-1)</c>, each carrying the next sequence number
/// of its machine, one in flight per machine and all machines at once, and counts the acknowledgements. An event
/// not acknowledged within 3 s is sent again with the same number (its node may have died with it; the machine
/// counts a number once), so every event is eventually acknowledged exactly once here. With a hold point, each
/// machine's next event waits once that many of its own are acknowledged, until told <see cref="Release"/>: a spec can
/// then freeze a node, release the events (one to every machine, so some to the frozen node) and kill it with them in
/// flight, however fast the machine is. Per machine, not in all: the nodes share one SQLite file and progress unevenly
/// (one node's machines may finish while another's have barely started), so a hold on the total could find every
/// machine of the node to be killed already done.
/// </summary>
internal sealed class CounterDriver : ReceiveActor, IWithTimers
{
    public const string Name = "counter-driver";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);

    private readonly ShardedMachines _machines = ShardedMachines.For(Context.System);
    private readonly int _eventsPerMachine;
    private readonly long[] _acked;
    private readonly DateTime[] _sentAt;
    private readonly int _holdAfter;
    private readonly bool[] _held;
    private bool _released;
    private long _total;
    private long _resent;

    /// <param name="holdAfter">Each machine's next event waits once this many of its own are acknowledged (0: none waits).</param>
    public CounterDriver(int machines, int eventsPerMachine, int holdAfter = 0)
    {
        _eventsPerMachine = eventsPerMachine;
        _holdAfter = holdAfter;
        _acked = new long[machines];
        _sentAt = new DateTime[machines];
        _held = new bool[machines];
        Receive<MachineEvent>(message => message.Name == "ACK", OnAck);
        Receive<Tick>(_ => ResendLate());
        Receive<Release>(_ =>
        {
            _released = true;
            for (var machine = 0; machine < _held.Length; machine++)
            {
                if (!_held[machine]) continue;
                _held[machine] = false;
                Send(machine);
            }
        });
        Receive<GetProgress>(_ => Sender.Tell(new Progress(_total, (long)_acked.Length * _eventsPerMachine, _resent, _acked.ToArray())));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        for (var i = 0; i < _acked.Length; i++) Send(i);
        Timers.StartPeriodicTimer("late", Tick.Instance, TimeSpan.FromSeconds(1));
    }

    private void OnAck(MachineEvent ack)
    {
        var machine = int.Parse(ack.SourceMachineId!.AsSpan("order-".Length), System.Globalization.CultureInfo.InvariantCulture);
        var seq = Convert.ToInt64(ack.Data, System.Globalization.CultureInfo.InvariantCulture);
        if (seq != _acked[machine] + 1) return; // a second acknowledgement of an event sent twice
        _acked[machine] = seq;
        _total++;
        if (seq >= _eventsPerMachine) return;
        if (!_released && seq == _holdAfter) _held[machine] = true; // acknowledged, its next event not sent yet: not late
        else Send(machine);
    }

    private void ResendLate()
    {
        var now = DateTime.UtcNow;
        for (var i = 0; i < _acked.Length; i++)
        {
            if (_acked[i] >= _eventsPerMachine || now - _sentAt[i] < Patience || _held[i]) continue;
            _resent++;
            Send(i);
        }
    }

    private void Send(int machine)
    {
        _sentAt[machine] = DateTime.UtcNow;
        _machines.Tell($"order-{machine}", new MachineEvent("INC", _acked[machine] + 1), Self);
    }

    /// <summary>Sends the events held back at the hold point, and every later one as usual.</summary>
    public sealed class Release
    {
        public static readonly Release Instance = new();
    }

    public sealed class GetProgress
    {
        public static readonly GetProgress Instance = new();
    }

    /// <summary>Acknowledged events, events in all, events sent again, and the acknowledged count per machine.</summary>
    public sealed record Progress(long Acked, long Total, long Resent, long[] PerMachine);

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }
}
