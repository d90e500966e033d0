namespace XStateNet.Actors.Bench.Statecharts;

/// <summary>
/// <see cref="NestedChart"/> written by hand with enums and switches. It does exactly what the engine does
/// for each STEP, in the engine's order, which is SCXML's:
/// <list type="number">
/// <item>both regions choose their transition before anything runs, so every guard sees the counters as
/// they were when the event arrived (the motor region first: it comes first in the chart);</item>
/// <item>exits in reverse document order: the lamp's state, then the motor's, innermost first;</item>
/// <item>transition actions in document order: the motor's, then the lamp's;</item>
/// <item>entries in document order: the motor's, parents before children, then the lamp's.</item>
/// </list>
/// The equivalence check at startup holds the two to that: a slip in order changes the trace.
/// </summary>
internal sealed class NestedHandWritten : ITransitionWorkload
{
    /// <summary>The motor region's active leaf; <see cref="Slow"/> and <see cref="Fast"/> are inside "moving".</summary>
    private enum Motor { Stopped, Slow, Fast }

    private enum Lamp { Dark, Lit }

    /// <summary>Which of the motor region's transitions a STEP takes; it always takes one.</summary>
    private enum MotorMove { StartMoving, SpeedUp, SlowDown, Stop }

    private readonly NestedCounters _counters = new();
    private Motor _motor;
    private Lamp _lamp;

    public NestedHandWritten()
    {
        // The initial configuration, entered in document order as the engine's Start does.
        _motor = Motor.Stopped;
        _counters.Enter(NestedCounters.Stopped);
        _lamp = Lamp.Dark;
        _counters.Enter(NestedCounters.Dark);
    }

    public void Step()
    {
        var counters = _counters;

        // Selection. A leaf's guarded transition that says no falls back to the parent "moving", whose
        // unguarded STEP stops the motor.
        var move = _motor switch
        {
            Motor.Stopped => MotorMove.StartMoving,
            Motor.Slow => counters.CanSpeedUp ? MotorMove.SpeedUp : MotorMove.Stop,
            _ => counters.MustSlowDown ? MotorMove.SlowDown : MotorMove.Stop,
        };
        var lampToggles = _lamp == Lamp.Dark || counters.LampTimedOut;

        // Exits.
        if (lampToggles) counters.Exit(_lamp == Lamp.Dark ? NestedCounters.Dark : NestedCounters.Lit);
        switch (move)
        {
            case MotorMove.StartMoving:
                counters.Exit(NestedCounters.Stopped);
                break;
            case MotorMove.SpeedUp:
                counters.Exit(NestedCounters.Slow);
                break;
            case MotorMove.SlowDown:
                counters.Exit(NestedCounters.Fast);
                break;
            default:
                counters.Exit(_motor == Motor.Slow ? NestedCounters.Slow : NestedCounters.Fast);
                counters.Exit(NestedCounters.Moving);
                break;
        }

        // Transition actions.
        counters.CountTransition();
        if (lampToggles) counters.CountTransition();

        // Entries.
        switch (move)
        {
            case MotorMove.StartMoving:
                counters.Enter(NestedCounters.Moving);
                counters.Enter(NestedCounters.Slow);
                _motor = Motor.Slow;
                break;
            case MotorMove.SpeedUp:
                counters.Enter(NestedCounters.Fast);
                _motor = Motor.Fast;
                break;
            case MotorMove.SlowDown:
                counters.Enter(NestedCounters.Slow);
                _motor = Motor.Slow;
                break;
            default:
                counters.Enter(NestedCounters.Stopped);
                _motor = Motor.Stopped;
                break;
        }
        if (lampToggles)
        {
            _lamp = _lamp == Lamp.Dark ? Lamp.Lit : Lamp.Dark;
            counters.Enter(_lamp == Lamp.Lit ? NestedCounters.Lit : NestedCounters.Dark);
        }
    }

    public void Run(int events)
    {
        for (var i = 0; i < events; i++) Step();
    }

    public long TransitionsTaken => _counters.Transitions;

    public string Fingerprint()
    {
        var motor = _motor switch
        {
            Motor.Stopped => "running.motor.stopped",
            Motor.Slow => "running.motor.moving.slow",
            _ => "running.motor.moving.fast",
        };
        var lamp = _lamp == Lamp.Dark ? "running.lamp.dark" : "running.lamp.lit";
        // The engine lists active states in ordinal order, and "lamp" sorts before "motor".
        return $"states=[{lamp}, {motor}] {_counters}";
    }
}
