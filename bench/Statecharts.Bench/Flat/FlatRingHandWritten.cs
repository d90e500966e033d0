namespace XStateNet.Actors.Bench.Statecharts;

/// <summary>
/// The flat ring as a programmer would write it without an engine: an enum and a switch. Events are an enum
/// too, not strings, because that is what hand-written code does; turning a name into something switchable
/// is part of the price of the engine's string API, and belongs on its side of the ratio.
/// </summary>
internal sealed class FlatRingHandWritten : ITransitionWorkload
{
    public enum State { A, B, C, D }

    public enum Event { Next }

    private State _state = State.A;
    private long _sent;

    public State Current => _state;

    public void Send(Event e)
    {
        if (e != Event.Next) return;
        _state = _state switch
        {
            State.A => State.B,
            State.B => State.C,
            State.C => State.D,
            _ => State.A,
        };
    }

    public void Run(int events)
    {
        for (var i = 0; i < events; i++) Send(Event.Next);
        _sent += events;
    }

    public long TransitionsTaken => _sent;

    public string Fingerprint() => $"states=[{_state.ToString().ToLowerInvariant()}]";
}
