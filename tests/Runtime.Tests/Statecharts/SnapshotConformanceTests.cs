using System.Text.Json;
using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Tests.Statecharts;

/// <summary>
/// The snapshot property over every SCION conformance case: a run that is snapshotted, serialized to JSON and
/// restored into a fresh interpreter after the start and after every event goes on exactly as the run that was
/// never interrupted: the same configuration after each step, the same actions in the same order.
/// </summary>
public class SnapshotConformanceTests
{
    [SkippableTheory]
    [MemberData(nameof(ConformanceCases.All), MemberType = typeof(ConformanceCases))]
    public void A_run_restored_after_every_step_equals_the_uninterrupted_run(string name)
    {
        Skip.If(name == ConformanceCases.MissingMarker, ConformanceCases.MissingReason);
        var testCase = ConformanceCases.Load(name);
        var chart = Statechart.Parse(testCase.GetProperty("machine").GetRawText());
        var events = testCase.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("event").GetString()!).ToArray();

        var straight = new Recorder(chart, testCase);
        straight.Start();
        foreach (var e in events) straight.Send(e);

        var interrupted = new Recorder(chart, testCase);
        interrupted.Start();
        var restores = 0;
        interrupted.RestoreFromJson();
        foreach (var e in events)
        {
            interrupted.Send(e);
            interrupted.RestoreFromJson();
            restores++;
        }

        Assert.Equal(events.Length, restores);
        Assert.Equal(straight.Configurations, interrupted.Configurations);
        Assert.Equal(straight.Log, interrupted.Log);
        Assert.Equal(straight.Run.IsDone, interrupted.Run.IsDone);
        // And the straight run's configurations are the expected ones, so the comparison is not of two wrong runs.
        Assert.Equal(Expected(testCase.GetProperty("initial")), straight.Configurations[0]);
    }

    private static string Expected(JsonElement list) =>
        string.Join(" ", list.EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal));

    /// <summary>Runs a case, recording the configuration after each step and every action (a raise) in order.</summary>
    private sealed class Recorder
    {
        private readonly Statechart _chart;
        private readonly Dictionary<string, Action<StatechartActionContext>> _actions = new();

        public Recorder(Statechart chart, JsonElement testCase)
        {
            _chart = chart;
            foreach (var raise in testCase.GetProperty("raises").EnumerateObject())
            {
                var action = raise.Name;
                var eventName = raise.Value.GetString()!;
                _actions[action] = ctx =>
                {
                    Log.Add(action);
                    ctx.Send(eventName);
                };
            }
            Run = new StatechartInterpreter(chart, _actions, Guards, new StatechartOptions { Scheduler = new VirtualClock() });
        }

        private static readonly Dictionary<string, Func<StatechartActionContext, bool>> Guards = new();

        public StatechartInterpreter Run { get; private set; }
        public List<string> Log { get; } = new();
        public List<string> Configurations { get; } = new();

        public void Start()
        {
            Run.Start();
            Configurations.Add(string.Join(" ", Run.ActiveStates));
        }

        public void Send(string eventName)
        {
            Run.Send(eventName);
            Configurations.Add(string.Join(" ", Run.ActiveStates));
        }

        /// <summary>Replaces the interpreter by one restored from its snapshot's JSON, which must take the same snapshot again.</summary>
        public void RestoreFromJson()
        {
            var json = Run.GetSnapshot().ToJson();
            var logged = Log.Count;
            Run = StatechartInterpreter.FromSnapshot(_chart, StatechartSnapshot.FromJson(json), _actions, Guards,
                new StatechartOptions { Scheduler = new VirtualClock() });
            Assert.Equal(logged, Log.Count); // restoring runs no action
            Assert.Equal(json, Run.GetSnapshot().ToJson());
        }
    }
}
