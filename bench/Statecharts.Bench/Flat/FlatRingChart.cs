using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Bench.Statecharts;

/// <summary>
/// The flat scenario: four states in a ring, a → b → c → d → a, all on one event. No guards, no actions,
/// so what is measured is the engine's own cost per transition: event lookup, selection, exit and entry.
/// </summary>
internal static class FlatRingChart
{
    public const string NextEvent = "NEXT";

    public const string Json = """
        {
          "id": "ring",
          "initial": "a",
          "states": {
            "a": { "on": { "NEXT": "b" } },
            "b": { "on": { "NEXT": "c" } },
            "c": { "on": { "NEXT": "d" } },
            "d": { "on": { "NEXT": "a" } }
          }
        }
        """;

    /// <summary>Parsed once and shared: a chart is immutable, and parsing is not what is being measured.</summary>
    public static Statechart Chart { get; } = Statechart.Parse(Json);
}
