using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Tests.Statecharts;

public class DefinitionErrorTests
{
    private static StatechartDefinitionException Fails(string json) =>
        Assert.Throws<StatechartDefinitionException>(() => Statechart.Parse(json));

    [Fact]
    public void Malformed_json_names_line_and_column()
    {
        var error = Fails("{ \"initial\": \"a\",\n  \"states\": { \"a\": { } ");
        Assert.Equal("$", Assert.Single(error.Errors).JsonPath);
        Assert.Contains("malformed JSON at line 2", error.Message);
    }

    [Fact]
    public void Not_an_object_is_refused()
    {
        Assert.Contains("must be a JSON object", Fails("[1, 2]").Message);
    }

    [Fact]
    public void Unknown_target_names_its_path_and_the_candidates()
    {
        var error = Fails("""{ "initial": "a", "states": { "a": { "on": { "GO": "nowhere" } }, "b": {} } }""");
        var problem = Assert.Single(error.Errors);
        Assert.Equal("$.states.a.on.GO", problem.JsonPath);
        Assert.Contains("'nowhere'", problem.Message);
        Assert.Contains("a, b", problem.Message);
    }

    [Fact]
    public void Unknown_id_and_child_targets_are_reported()
    {
        var error = Fails("""{ "initial": "a", "states": { "a": { "on": { "X": { "target": "#ghost" }, "Y": ".missing" } } } }""");
        Assert.Equal(new[] { "$.states.a.on.X.target", "$.states.a.on.Y" }, error.Errors.Select(e => e.JsonPath));
    }

    [Fact]
    public void Targets_that_cannot_be_active_together_are_ambiguous()
    {
        var error = Fails("""
            { "initial": "a", "states": { "a": { "on": { "GO": { "target": ["b.b1", "b.b2"] } } },
              "b": { "initial": "b1", "states": { "b1": {}, "b2": {} } } } }
            """);
        Assert.Contains("ambiguous targets", Assert.Single(error.Errors).Message);
    }

    [Fact]
    public void Duplicate_ids_name_both_places()
    {
        var error = Fails("""{ "initial": "a", "states": { "a": { "id": "same" }, "b": { "id": "same" } } }""");
        var problem = Assert.Single(error.Errors);
        Assert.Equal("$.states.b.id", problem.JsonPath);
        Assert.Contains("$.states.a", problem.Message);
    }

    [Fact]
    public void Initial_must_name_a_child()
    {
        var error = Fails("""{ "initial": "zzz", "states": { "a": {}, "b": {} } }""");
        var problem = Assert.Single(error.Errors);
        Assert.Equal("$.initial", problem.JsonPath);
        Assert.Contains("not a child", problem.Message);
    }

    [Fact]
    public void History_must_sit_inside_a_compound_or_parallel_state_and_default_inside_its_parent()
    {
        Assert.Contains("history state must be inside", Fails("""{ "type": "history" }""").Message);
        var error = Fails("""
            { "initial": "a", "states": { "a": { "initial": "h", "states": { "h": { "type": "history", "target": "#out" }, "a1": {} } }, "b": { "id": "out" } } }
            """);
        Assert.Contains("must be inside its parent", error.Message);
        Assert.Contains("cannot have child states", Fails("""{ "initial": "h", "states": { "h": { "type": "history", "states": { "x": {} } } } }""").Message);
    }

    [Fact]
    public void Every_problem_is_listed_at_once()
    {
        var error = Fails("""
            { "initial": "nope", "states": {
                "a": { "on": { "GO": "missing" }, "typo": 1 },
                "b": { "type": "weird" } } }
            """);
        Assert.Equal(4, error.Errors.Count);
        Assert.Contains(error.Errors, e => e.JsonPath == "$.initial");
        Assert.Contains(error.Errors, e => e.JsonPath == "$.states.a.on.GO");
        Assert.Contains(error.Errors, e => e.JsonPath == "$.states.a.typo" && e.Message.Contains("unknown key"));
        Assert.Contains(error.Errors, e => e.JsonPath == "$.states.b.type");
    }

    [Fact]
    public void Unsupported_features_are_refused_rather_than_ignored()
    {
        var error = Fails("""{ "initial": "a", "states": { "a": { "invoke": { "src": "x" } } } }""");
        Assert.Contains("'invoke' is not supported", error.Message);
    }

    [Fact]
    public void Missing_action_guard_and_delay_names_are_all_reported_at_creation()
    {
        var chart = Statechart.Parse("""
            { "initial": "a", "states": {
                "a": { "entry": ["known", "missingEntry"], "after": { "LATER": "b" },
                       "on": { "GO": { "target": "b", "guard": "missingGuard", "actions": { "type": "missingAction" } } } },
                "b": {} } }
            """);
        var error = Assert.Throws<StatechartDefinitionException>(() => new StatechartInterpreter(chart,
            new Dictionary<string, Action<StatechartActionContext>> { ["known"] = _ => { } },
            new Dictionary<string, Func<StatechartActionContext, bool>>()));

        Assert.Equal(
            new[]
            {
                "$.states.a.entry[1]: action 'missingEntry' was not supplied",
                "$.states.a.on.GO.actions: action 'missingAction' was not supplied",
                "$.states.a.on.GO.guard: guard 'missingGuard' was not supplied",
                "$.states.a.after.LATER: delay 'LATER' was not supplied",
            },
            error.Errors.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData("""{ "initial": "a", "states": { "a.b": {} } }""", "contains '.'")]
    [InlineData("""{ "type": "parallel", "initial": "a", "states": { "a": {} } }""", "'initial' is not allowed")]
    [InlineData("""{ "initial": "a", "states": { "a": { "type": "final", "on": { "X": "a" } } } }""", "final state cannot have outgoing")]
    [InlineData("""{ "initial": "a", "states": { "a": { "on": { "GO": { "target": "a", "guard": "g", "cond": "g" } } } } }""", "either 'guard'")]
    [InlineData("""{ "initial": "a", "states": { "a": { "on": { "a*b": "a" } } } }""", "not valid")]
    [InlineData("""{ "initial": "a", "states": { "a": { "after": { "-5": "a" } } } }""", "non-negative")]
    [InlineData("""{ "initial": "a", "states": { "a": { "context": {} } } }""", "only allowed on the machine")]
    [InlineData("""{ "initial": "a", "states": { "a": { "onDone": "a" } } }""", "only allowed on compound and parallel")]
    public void Structural_mistakes_are_explained(string json, string expected)
    {
        Assert.Contains(expected, Fails(json).Message);
    }
}
