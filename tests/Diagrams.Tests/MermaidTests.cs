using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Diagrams.Tests;

/// <summary>Mermaid text for small charts, compared whole: each shape XState users draw.</summary>
public sealed class MermaidTests
{
    private static string Mermaid(string json) => StatechartDiagram.ToMermaid(Statechart.Parse(json));

    [Fact]
    public void Guarded_delayed_targetless_and_final_transitions_are_labelled_as_XState_writes_them()
    {
        var text = Mermaid("""
            { "id": "door", "initial": "closed", "states": {
                "closed": { "on": { "OPEN": { "target": "open", "guard": "unlocked" }, "KNOCK": { "actions": "answer" } } },
                "open": { "after": { "500": "closed", "2000": "closed", "slowly": "closed" }, "on": { "BREAK": "broken" } },
                "broken": { "type": "final" } } }
            """);
        Assert.Equal("""
            stateDiagram-v2
                [*] --> closed
                closed : KNOCK
                open
                broken
                closed --> open : OPEN [unlocked]
                open --> broken : BREAK
                open --> closed : after 500ms
                open --> closed : after 2s
                open --> closed : after slowly
                broken --> [*]

            """.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void Nested_states_are_composite_blocks_with_their_own_start_and_arrows_sit_in_the_innermost_common_block()
    {
        var text = Mermaid("""
            { "id": "m", "initial": "a", "states": {
                "a": { "initial": "a1", "onDone": "b", "states": {
                    "a1": { "on": { "NEXT": "a2", "LEAVE": "#m.b" } },
                    "a2": { "type": "final" } } },
                "b": {} } }
            """);
        Assert.Equal("""
            stateDiagram-v2
                [*] --> a
                state a {
                    [*] --> a1
                    a1
                    a2
                    a1 --> a2 : NEXT
                    a2 --> [*]
                }
                b
                a --> b : onDone
                a1 --> b : LEAVE

            """.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void Parallel_regions_are_split_by_dashes_and_history_is_drawn_as_H_or_H_star_with_its_default()
    {
        var text = Mermaid("""
            { "id": "player", "initial": "on", "states": {
                "on": { "type": "parallel", "on": { "POWER": "off" }, "states": {
                    "audio": { "initial": "playing", "states": {
                        "playing": { "on": { "PAUSE": "paused" } }, "paused": { "on": { "PLAY": "playing" } },
                        "hist": { "type": "history", "history": "deep" } } },
                    "screen": { "initial": "dim", "states": {
                        "dim": { "always": { "target": "bright", "guard": "daylight" } }, "bright": {},
                        "last": { "type": "history" } } } } },
                "off": { "on": { "POWER": "on.audio.hist" } } } }
            """);
        Assert.Equal("""
            stateDiagram-v2
                [*] --> on
                state on {
                    state audio {
                        [*] --> playing
                        playing
                        paused
                        state "H*" as hist
                        playing --> paused : PAUSE
                        paused --> playing : PLAY
                        hist --> playing
                    }
                    --
                    state screen {
                        [*] --> dim
                        dim
                        bright
                        state "H" as last
                        dim --> bright : always [daylight]
                        last --> dim
                    }
                }
                off
                on --> off : POWER
                off --> hist : POWER

            """.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void Keys_that_repeat_or_would_break_the_syntax_get_safe_ids_and_quoted_labels()
    {
        var text = Mermaid("""
            { "id": "m", "type": "parallel", "states": {
                "north": { "initial": "idle", "states": { "idle": { "on": { "GO;now #1": "state" } }, "state": {} } },
                "south": { "initial": "idle", "states": { "idle": {} } } } }
            """);
        Assert.Equal("""
            stateDiagram-v2
                [*] --> root
                state "m" as root
                state root {
                    state north {
                        [*] --> north_idle
                        state "idle" as north_idle
                        state "state" as s_state
                        north_idle --> s_state : GO#59;now #35;1
                    }
                    --
                    state south {
                        [*] --> south_idle
                        state "idle" as south_idle
                    }
                }

            """.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void Wildcards_and_transitions_to_several_targets_are_all_drawn()
    {
        var text = Mermaid("""
            { "id": "m", "initial": "p", "states": {
                "p": { "type": "parallel", "states": {
                    "x": { "initial": "x1", "states": { "x1": {}, "x2": {} } },
                    "y": { "initial": "y1", "states": { "y1": {}, "y2": {} } } } },
                "q": { "on": { "mouse.*": { "target": ["p.x.x2", "p.y.y2"] }, "*": "q" } } } }
            """);
        Assert.Contains("    q --> x2 : mouse.*\n    q --> y2 : mouse.*\n", text);
        Assert.Contains("    q --> q : *\n", text);
    }
}
