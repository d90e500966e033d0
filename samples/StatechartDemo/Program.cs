using System.Diagnostics;
using XStateNet.Actors.Statecharts;

// A pedestrian crossing: traffic lights and a push button run as parallel regions of one statechart,
// with timed (after) transitions on a real clock, a guard, context, and a final state that ends the run.
var json = ReadEmbedded("crossing.json");
var chart = Statechart.Parse(json);
var clock = Stopwatch.StartNew();
var finished = new ManualResetEventSlim();
StatechartInterpreter? crossing = null;

void Print(string text) => Console.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.000}s  {text}");

var actions = new Dictionary<string, Action<StatechartActionContext>>
{
    ["announce"] = c => Print($"{c.EventName,-38} -> [{string.Join(", ", c.Interpreter.ActiveStates)}]"),
    ["countCycle"] = c => c.Context["cycles"] = (long)c.Context["cycles"]! + 1,
    ["buttonPressed"] = _ => Print("button pressed: the light turns yellow early if green has lasted long enough"),
    ["letPedestriansWalk"] = c => c.Send("WALK"), // queued: handled once the lights' step is complete
    ["stopPedestrians"] = c => c.Send("STOP"),
};
var guards = new Dictionary<string, Func<StatechartActionContext, bool>>
{
    ["greenLongEnough"] = _ => true,
    ["enoughCycles"] = c => (long)c.Context["cycles"]! >= (long)c.Context["maxCycles"]!,
};
var options = new StatechartOptions
{
    Delays = new Dictionary<string, TimeSpan>
    {
        ["GREEN_TIME"] = TimeSpan.FromMilliseconds(800),
        ["RED_TIME"] = TimeSpan.FromMilliseconds(500),
    },
    OnExecutionError = e => Print($"error in {e.Name}: {e.Exception.Message}"),
};

crossing = new StatechartInterpreter(chart, actions, guards, options);
Print($"chart '{chart.Id}': {chart.States.Count} states, actions [{string.Join(", ", chart.ActionNames)}]");
crossing.Start();

using var button = new Timer(_ => crossing.Send("BUTTON"), null, dueTime: 200, period: Timeout.Infinite);
using var watcher = new Timer(_ => { if (crossing.IsDone) finished.Set(); }, null, 50, 50);

if (!finished.Wait(TimeSpan.FromSeconds(15)))
{
    Console.Error.WriteLine("The crossing did not finish within 15 s.");
    return 1;
}
Print($"done after {crossing.Context["cycles"]} cycles: [{string.Join(", ", crossing.ActiveStates)}]");
return 0;

static string ReadEmbedded(string name)
{
    using var stream = typeof(Program).Assembly.GetManifestResourceStream(name)
        ?? throw new InvalidOperationException($"embedded resource '{name}' is missing");
    using var reader = new StreamReader(stream);
    return reader.ReadToEnd();
}
