using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Tests.Statecharts;

/// <summary>Snapshots that cannot be taken, read or restored are refused, saying what does not match.</summary>
public class SnapshotRefusalTests
{
    private const string Version1 = """
        { "id": "order", "initial": "open", "states": {
            "open": { "on": { "PAY": "paid" } },
            "paid": { "initial": "packing", "states": {
              "hist": { "type": "history" },
              "packing": { "on": { "PACKED": "shipping" } }, "shipping": {} } } } }
        """;

    private static StatechartSnapshot PaidSnapshot()
    {
        var run = new SnapshotRun(Version1).Started();
        run.Run.Send("PAY");
        return StatechartSnapshot.FromJson(run.Run.GetSnapshot().ToJson());
    }

    private static StatechartSnapshotException Restoring(string chartJson, StatechartSnapshot snapshot) =>
        Assert.Throws<StatechartSnapshotException>(() => StatechartInterpreter.FromSnapshot(Statechart.Parse(chartJson), snapshot));

    [Fact]
    public void A_state_that_no_longer_exists_is_named_by_path()
    {
        var e = Restoring("""
            { "id": "order", "initial": "open", "states": {
                "open": { "on": { "PAY": "settled" } }, "settled": {} } }
            """, PaidSnapshot());
        Assert.Contains("active state 'paid.packing' no longer exists in chart 'order'", e.Message);
        Assert.Contains(e.Problems, p => p.Contains("fingerprint"));
    }

    [Fact]
    public void A_history_state_that_no_longer_exists_is_named_by_path()
    {
        var run = new SnapshotRun(Version1).Started();
        run.Run.Send("PAY");
        var chart = Statechart.Parse(Version1.Replace("\"PACKED\": \"shipping\"", "\"PACKED\": \"shipping\", \"BACK\": \"#order.open\""));
        var interpreter = StatechartInterpreter.FromSnapshot(chart, run.Run.GetSnapshot());
        interpreter.Send("BACK"); // leaving 'paid' makes its history remember 'paid.packing'
        var snapshot = interpreter.GetSnapshot();
        Assert.Equal(["paid.packing"], snapshot.History["paid.hist"]);

        var e = Restoring(Version1.Replace("\"hist\": { \"type\": \"history\" },", ""), snapshot);
        Assert.Contains("history state 'paid.hist' no longer exists in chart 'order'", e.Message);
    }

    [Fact]
    public void Another_chart_id_is_refused()
    {
        var e = Restoring(Version1.Replace("\"id\": \"order\"", "\"id\": \"invoice\""), PaidSnapshot());
        Assert.Contains("the snapshot is of chart 'order', not 'invoice'", e.Message);
    }

    [Fact]
    public void A_changed_structure_is_refused_by_fingerprint_even_when_the_active_states_remain()
    {
        var e = Restoring(Version1.Replace("\"shipping\": {}", "\"shipping\": {}, \"returned\": {}"), PaidSnapshot());
        var problem = Assert.Single(e.Problems);
        Assert.Contains("the chart's states changed since the snapshot was taken (structure fingerprint", problem);
    }

    [Fact]
    public void The_fingerprint_depends_on_states_and_kinds_not_on_transitions()
    {
        var original = Statechart.Parse(Version1);
        Assert.Equal(original.Fingerprint, Statechart.Parse(Version1).Fingerprint);
        Assert.Equal(original.Fingerprint, Statechart.Parse(Version1.Replace("\"PAY\": \"paid\"", "\"PAY\": \"paid.shipping\"")).Fingerprint);
        Assert.NotEqual(original.Fingerprint, Statechart.Parse(Version1.Replace("\"shipping\": {}", "\"shipping\": { \"type\": \"final\" }")).Fingerprint);
        Assert.NotEqual(original.Fingerprint, Statechart.Parse(Version1.Replace("\"type\": \"history\"", "\"type\": \"history\", \"history\": \"deep\"")).Fingerprint);

        // A changed transition restores fine, and the new transition is the one taken.
        var changed = Statechart.Parse(Version1.Replace("\"PACKED\": \"shipping\"", "\"PACKED\": \"#order.open\""));
        var run = StatechartInterpreter.FromSnapshot(changed, PaidSnapshot());
        run.Send("PACKED");
        Assert.Equal(["open"], run.ActiveStates);
    }

    [Fact]
    public void An_unknown_format_version_is_refused()
    {
        var json = PaidSnapshot().ToJson().Replace("\"version\":1", "\"version\":2");
        var e = Assert.Throws<StatechartSnapshotException>(() => StatechartSnapshot.FromJson(json));
        Assert.Contains("$.version: format version 2 is not supported (this runtime reads version 1)", e.Message);
    }

    [Theory]
    [InlineData("{", "$: not valid JSON (line")]
    [InlineData("[]", "$: expected an object, not an array")]
    [InlineData("""{ "format": "something else" }""", "$.format: not a statechart snapshot")]
    [InlineData("""{ "format": "xstatenet.statechart-snapshot" }""", "$.version: missing")]
    public void Malformed_json_is_refused_with_its_path(string json, string expected)
    {
        var e = Assert.Throws<StatechartSnapshotException>(() => StatechartSnapshot.FromJson(json));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("\"configuration\":[\"paid.packing\"]", "\"configuration\":[1]", "$.configuration[0]: expected a string, not a number")]
    [InlineData("\"done\":false", "\"done\":\"no\"", "$.done: expected true or false, not a string")]
    [InlineData("\"history\":{}", "\"history\":{\"paid.hist\":\"paid.packing\"}", "$.history['paid.hist']: expected an array, not a string")]
    [InlineData("\"delayed\":[]", "\"delayed\":[{\"state\":\"open\",\"event\":\"x\",\"remainingTicks\":-1}]", "$.delayed[0].remainingTicks: must not be negative")]
    [InlineData("\"queue\":[]", "\"queue\":[{\"data\":1}]", "$.queue[0].event: missing")]
    [InlineData("\"context\":{}", "\"context\":{\"n\":123456789012345678901234567890}", "$.context.n: 123456789012345678901234567890 is beyond the range of a long")]
    public void A_member_of_the_wrong_shape_is_refused_with_its_path(string find, string replace, string expected)
    {
        var json = PaidSnapshot().ToJson();
        Assert.Contains(find, json);
        var e = Assert.Throws<StatechartSnapshotException>(() => StatechartSnapshot.FromJson(json.Replace(find, replace)));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void An_illegal_configuration_is_refused()
    {
        var json = PaidSnapshot().ToJson().Replace("\"configuration\":[\"paid.packing\"]", "\"configuration\":[\"paid.packing\",\"paid.shipping\"]");
        var e = Restoring(Version1, StatechartSnapshot.FromJson(json));
        Assert.Contains("'paid' has 2 active children in the snapshot; a compound state has one", e.Message);

        json = PaidSnapshot().ToJson().Replace("\"configuration\":[\"paid.packing\"]", "\"configuration\":[\"paid\"]");
        e = Restoring(Version1, StatechartSnapshot.FromJson(json));
        Assert.Contains("active state 'paid' is not an atomic or final state (it is compound)", e.Message);
    }

    [Fact]
    public void A_delayed_event_the_chart_no_longer_has_is_refused()
    {
        const string timed = """{ "id": "t", "initial": "wait", "states": { "wait": { "after": { "1000": "gone" } }, "gone": {} } }""";
        var run = new SnapshotRun(timed).Started();
        var snapshot = run.Run.GetSnapshot();
        var e = Restoring(timed.Replace("1000", "2000"), snapshot);
        Assert.Contains("state 'wait' no longer has the delayed event 'xstate.after.1000.t.wait'", e.Message);
    }

    [Theory]
    [InlineData("int", "context.count is a System.Int32; a snapshot carries null, bool, string, long, finite double")]
    [InlineData("nested", "context.items[1] is a System.DateTime")]
    [InlineData("deep", "context.map['a b'].x is a System.Decimal")]
    [InlineData("nan", "context.ratio is NaN, which JSON cannot hold")]
    [InlineData("array", "context.array is a System.Object[]")]
    public void A_context_value_a_snapshot_cannot_carry_is_refused_by_key_and_type(string kind, string expected)
    {
        var run = new SnapshotRun("""{ "id": "v", "initial": "a", "states": { "a": {} } }""").Started();
        object? value = kind switch
        {
            "int" => 3,
            "nested" => new List<object?> { 1L, new DateTime(2026, 1, 1) },
            "deep" => new Dictionary<string, object?> { ["a b"] = new Dictionary<string, object?> { ["x"] = 1.5m } },
            "nan" => double.NaN,
            _ => new object?[] { 1L },
        };
        var key = kind switch { "int" => "count", "nested" => "items", "deep" => "map", "nan" => "ratio", _ => "array" };
        run.Run.Context[key] = value;
        var e = Assert.Throws<StatechartSnapshotException>(() => run.Run.GetSnapshot());
        Assert.StartsWith("Cannot take a snapshot of the statechart", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Every_context_problem_is_listed_at_once()
    {
        var run = new SnapshotRun("""{ "id": "v", "initial": "a", "states": { "a": {} } }""").Started();
        run.Run.Context["one"] = 1;
        run.Run.Context["two"] = 2f;
        var e = Assert.Throws<StatechartSnapshotException>(() => run.Run.GetSnapshot());
        Assert.Equal(2, e.Problems.Count);
    }
}
