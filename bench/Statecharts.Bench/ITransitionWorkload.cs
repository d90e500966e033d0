namespace XStateNet.Actors.Bench.Statecharts;

/// <summary>
/// One implementation (engine or hand-written) of one scenario, already started. Events are sent in batches
/// so a timing loop pays one interface call per batch, not per event: a hand-written machine takes about a
/// nanosecond per transition, and a virtual call per event would be a large part of what it measures.
/// </summary>
internal interface ITransitionWorkload
{
    /// <summary>Sends the scenario's events, <paramref name="events"/> of them, in the scenario's fixed order.</summary>
    void Run(int events);

    /// <summary>Transitions taken since start; an event can take none, one, or one per parallel region.</summary>
    long TransitionsTaken { get; }

    /// <summary>
    /// Everything observable about the machine (active states, counters), as text. Two implementations of a
    /// scenario that did the same work print the same fingerprint. Allocates; never call it while timing.
    /// </summary>
    string Fingerprint();
}
