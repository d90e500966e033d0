using System.Text.Json;
using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Tests.Statecharts;

/// <summary>Runs every SCION conformance case: the configuration after start and after each event must match.</summary>
public class ConformanceTests
{
    [SkippableTheory]
    [MemberData(nameof(ConformanceCases.All), MemberType = typeof(ConformanceCases))]
    public void Case_passes(string name)
    {
        Skip.If(name == ConformanceCases.MissingMarker, ConformanceCases.MissingReason);

        var testCase = ConformanceCases.Load(name);
        var chart = Statechart.Parse(testCase.GetProperty("machine").GetRawText());
        StatechartInterpreter? run = null;
        var actions = new Dictionary<string, Action<StatechartActionContext>>();
        foreach (var raise in testCase.GetProperty("raises").EnumerateObject())
        {
            var eventName = raise.Value.GetString()!;
            actions[raise.Name] = _ => run!.Send(eventName);
        }
        run = new StatechartInterpreter(chart, actions, new Dictionary<string, Func<StatechartActionContext, bool>>());

        run.Start();
        Assert.Equal(Expected(testCase.GetProperty("initial")), run.ActiveStates);
        var step = 0;
        foreach (var s in testCase.GetProperty("steps").EnumerateArray())
        {
            var eventName = s.GetProperty("event").GetString()!;
            run.Send(eventName);
            var expected = Expected(s.GetProperty("expect"));
            Assert.True(expected.SequenceEqual(run.ActiveStates),
                $"step {step} ('{eventName}'): expected [{string.Join(", ", expected)}] but was [{string.Join(", ", run.ActiveStates)}]");
            step++;
        }
    }

    [SkippableFact]
    public void All_eighty_cases_are_present()
    {
        Skip.If(ConformanceCases.Folder is null, ConformanceCases.MissingReason);
        Assert.Equal(80, Directory.EnumerateFiles(ConformanceCases.Folder!, "*.json").Count());
    }

    private static string[] Expected(JsonElement list) =>
        list.EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal).ToArray();
}
