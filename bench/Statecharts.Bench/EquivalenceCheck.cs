namespace XStateNet.Actors.Bench.Statecharts;

/// <summary>
/// Makes the comparison honest: before anything is timed, the engine and the hand-written twin of each
/// scenario are fed the same events and must agree on active states and on every counter their actions
/// and guards touch. A ratio between two machines doing different work would mean nothing, so a
/// divergence stops the program.
/// </summary>
internal static class EquivalenceCheck
{
    // Event by event at first, where a slip shows up at the step that made it; then a long run, to cover
    // the counter-driven guard combinations that only come round now and then.
    private const int StepByStepEvents = 1_000;
    private const int BulkEvents = 100_000;

    public static void VerifyAll(TextWriter log)
    {
        foreach (var scenario in Scenario.All)
        {
            Verify(scenario);
            log.WriteLine($"equivalence: {scenario.Name}: engine and hand-written agree after {StepByStepEvents + BulkEvents:N0} events");
        }
    }

    private static void Verify(Scenario scenario)
    {
        var engine = scenario.CreateEngine();
        var handWritten = scenario.CreateHandWritten();
        Compare(scenario, engine, handWritten, eventsSent: 0);
        for (var sent = 1; sent <= StepByStepEvents; sent++)
        {
            engine.Run(1);
            handWritten.Run(1);
            Compare(scenario, engine, handWritten, sent);
        }
        engine.Run(BulkEvents);
        handWritten.Run(BulkEvents);
        Compare(scenario, engine, handWritten, StepByStepEvents + BulkEvents);
    }

    private static void Compare(Scenario scenario, ITransitionWorkload engine, ITransitionWorkload handWritten, int eventsSent)
    {
        var expected = handWritten.Fingerprint();
        var actual = engine.Fingerprint();
        if (expected == actual && engine.TransitionsTaken == handWritten.TransitionsTaken) return;
        throw new InvalidOperationException(
            $"'{scenario.Name}': the engine and the hand-written machine diverged after {eventsSent} events.{Environment.NewLine}" +
            $"  hand-written: {expected} ({handWritten.TransitionsTaken} transitions){Environment.NewLine}" +
            $"  engine:       {actual} ({engine.TransitionsTaken} transitions)");
    }
}
