namespace XStateNet.Actors.Bench.Statecharts;

/// <summary>A machine to measure, with its two implementations and how many events make one timed round.</summary>
internal sealed record Scenario(
    string Name,
    int EventsPerRound,
    Func<ITransitionWorkload> CreateEngine,
    Func<ITransitionWorkload> CreateHandWritten)
{
    public static IReadOnlyList<Scenario> All { get; } =
    [
        // Several million events: at the 5 M/s goal a round lasts about a second.
        new("flat ring", 5_000_000, () => new FlatRingEngine(), () => new FlatRingHandWritten()),
        // A STEP here does several times the flat ring's work, so fewer events keep the round near a second.
        new("nested parallel", 1_000_000, () => new NestedEngine(), () => new NestedHandWritten()),
    ];
}
