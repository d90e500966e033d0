using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Bench.Statecharts;

/// <summary>
/// The nested scenario: a parallel state with two regions that both react to every STEP. The motor region
/// nests a compound state two levels down, with guarded transitions on the leaves that fall back to an
/// unguarded one on their parent when the guard says no; the lamp region toggles, leaving "lit" only when its
/// guard allows. Every state has entry and exit actions and every transition an action, so one event runs
/// guard calls, an exit set spanning both regions, transition actions and an entry set, in SCXML order.
/// </summary>
internal static class NestedChart
{
    public const string StepEvent = "STEP";

    public const string Json = """
        {
          "id": "nested",
          "initial": "running",
          "states": {
            "running": {
              "type": "parallel",
              "states": {
                "motor": {
                  "initial": "stopped",
                  "states": {
                    "stopped": {
                      "entry": "enterStopped",
                      "exit": "exitStopped",
                      "on": { "STEP": { "target": "moving", "actions": "countTransition" } }
                    },
                    "moving": {
                      "initial": "slow",
                      "entry": "enterMoving",
                      "exit": "exitMoving",
                      "on": { "STEP": { "target": "stopped", "actions": "countTransition" } },
                      "states": {
                        "slow": {
                          "entry": "enterSlow",
                          "exit": "exitSlow",
                          "on": { "STEP": { "target": "fast", "guard": "canSpeedUp", "actions": "countTransition" } }
                        },
                        "fast": {
                          "entry": "enterFast",
                          "exit": "exitFast",
                          "on": { "STEP": { "target": "slow", "guard": "mustSlowDown", "actions": "countTransition" } }
                        }
                      }
                    }
                  }
                },
                "lamp": {
                  "initial": "dark",
                  "states": {
                    "dark": {
                      "entry": "enterDark",
                      "exit": "exitDark",
                      "on": { "STEP": { "target": "lit", "actions": "countTransition" } }
                    },
                    "lit": {
                      "entry": "enterLit",
                      "exit": "exitLit",
                      "on": { "STEP": { "target": "dark", "guard": "lampTimedOut", "actions": "countTransition" } }
                    }
                  }
                }
              }
            }
          }
        }
        """;

    /// <summary>Parsed once and shared: a chart is immutable, and parsing is not what is being measured.</summary>
    public static Statechart Chart { get; } = Statechart.Parse(Json);

    /// <summary>The chart's actions, bound to one run's counters. Built once per run, never per event.</summary>
    public static Dictionary<string, Action<StatechartActionContext>> Actions(NestedCounters counters) => new(StringComparer.Ordinal)
    {
        ["enterStopped"] = _ => counters.Enter(NestedCounters.Stopped),
        ["exitStopped"] = _ => counters.Exit(NestedCounters.Stopped),
        ["enterMoving"] = _ => counters.Enter(NestedCounters.Moving),
        ["exitMoving"] = _ => counters.Exit(NestedCounters.Moving),
        ["enterSlow"] = _ => counters.Enter(NestedCounters.Slow),
        ["exitSlow"] = _ => counters.Exit(NestedCounters.Slow),
        ["enterFast"] = _ => counters.Enter(NestedCounters.Fast),
        ["exitFast"] = _ => counters.Exit(NestedCounters.Fast),
        ["enterDark"] = _ => counters.Enter(NestedCounters.Dark),
        ["exitDark"] = _ => counters.Exit(NestedCounters.Dark),
        ["enterLit"] = _ => counters.Enter(NestedCounters.Lit),
        ["exitLit"] = _ => counters.Exit(NestedCounters.Lit),
        ["countTransition"] = _ => counters.CountTransition(),
    };

    /// <summary>The chart's guards, bound to one run's counters.</summary>
    public static Dictionary<string, Func<StatechartActionContext, bool>> Guards(NestedCounters counters) => new(StringComparer.Ordinal)
    {
        ["canSpeedUp"] = _ => counters.CanSpeedUp,
        ["mustSlowDown"] = _ => counters.MustSlowDown,
        ["lampTimedOut"] = _ => counters.LampTimedOut,
    };
}
