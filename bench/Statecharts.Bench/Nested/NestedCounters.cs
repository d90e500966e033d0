namespace XStateNet.Actors.Bench.Statecharts;

/// <summary>
/// What the nested scenario's actions write and its guards read. Both implementations share this class, so
/// an action or a guard costs the same on either side and only the machinery around them differs.
/// </summary>
internal sealed class NestedCounters
{
    // A code per state, mixed into the trace on entry and exit, so the trace tells apart runs that entered
    // and left the same states in a different order.
    public const int Stopped = 1;
    public const int Moving = 2;
    public const int Slow = 3;
    public const int Fast = 4;
    public const int Dark = 5;
    public const int Lit = 6;

    private const int ExitOffset = 100;

    public long Entries;
    public long Exits;
    public long Transitions;
    public long Trace;

    public void Enter(int state)
    {
        Entries++;
        Trace = unchecked(Trace * 31 + state);
    }

    public void Exit(int state)
    {
        Exits++;
        Trace = unchecked(Trace * 31 + ExitOffset + state);
    }

    public void CountTransition() => Transitions++;

    // The guards read counters that the entry and exit actions move, so which branch is taken keeps changing
    // and an implementation that ran an action too many or too few soon drifts off the other's path.

    public bool CanSpeedUp => Entries % 3 != 0;

    public bool MustSlowDown => Exits % 2 == 0;

    public bool LampTimedOut => (Entries + Exits) % 5 == 0;

    public override string ToString() => $"entries={Entries} exits={Exits} transitions={Transitions} trace={Trace}";
}
