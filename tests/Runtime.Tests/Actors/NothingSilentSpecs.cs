using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit.Abstractions;

namespace XStateNet.Actors.Tests.Actors;

/// <summary>
/// Nothing vanishes silently: each event the runtime raises by itself (error.communication, error.execution,
/// xstatenet.target.terminated) that the chart does not handle is logged at Warning with the machine id, the target,
/// the event and the reason; one the chart handles is not.
/// </summary>
public sealed class NothingSilentSpecs(ITestOutputHelper output) : TestKit("akka.loglevel = INFO", output: output)
{
    private const string Quiet = """{ "initial": "idle", "states": { "idle": { "on": { "GO": { "actions": "act" } } } } }""";

    [Fact]
    public void An_action_that_throws_without_an_error_execution_transition_is_a_warning_naming_action_event_and_reason()
    {
        var machine = Sys.SpawnMachine("thrower", Quiet, Act(_ => throw new InvalidOperationException("disk full")));

        EventFilter.Warning(contains: "Machine 'thrower' action 'act' failed while handling 'GO': InvalidOperationException: disk full (error.execution is not handled in state idle)")
            .ExpectOne(TimeSpan.FromSeconds(10), () => machine.Tell(new MachineEvent("GO")));
    }

    [Fact]
    public void An_async_action_that_fails_without_an_error_execution_transition_is_a_warning()
    {
        var machine = Sys.SpawnMachine("asyncThrower", Quiet, new Dictionary<string, Func<OrchestratedContext, Task>>
        {
            ["act"] = async _ =>
            {
                await Task.Yield();
                throw new TimeoutException("no answer");
            },
        });

        EventFilter.Warning(contains: "Machine 'asyncThrower' action 'act' failed while handling 'GO': TimeoutException: no answer")
            .ExpectOne(TimeSpan.FromSeconds(10), () => machine.Tell(new MachineEvent("GO")));
    }

    [Fact]
    public void An_error_execution_the_chart_handles_is_not_a_warning()
    {
        var machine = Sys.SpawnMachine("handler", """
            { "initial": "idle", "states": { "idle": { "on": { "GO": { "actions": "act" }, "error.execution": { "actions": "report" } } } } }
            """, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["act"] = _ => throw new InvalidOperationException("disk full"),
            ["report"] = ctx => TestActor.Tell(ctx.EventName),
        });

        EventFilter.Warning(contains: "is not handled").Expect(0, TimeSpan.FromSeconds(2), () =>
        {
            machine.Tell(new MachineEvent("GO"));
            ExpectMsg("error.execution", TimeSpan.FromSeconds(10));
        });
    }

    [Fact]
    public void A_target_that_terminates_without_a_transition_for_it_is_a_warning_naming_the_target()
    {
        var target = Sys.SpawnMachine("target", """{ "initial": "a", "states": { "a": { "on": { "HI": { "actions": "ack" } } } } }""",
            Act(_ => TestActor.Tell("hi")));
        var sender = Sys.SpawnMachine("watcher", Quiet, Act(ctx => ctx.RequestSend("target", "HI")));
        sender.Tell(new MachineEvent("GO"));
        ExpectMsg("hi", TimeSpan.FromSeconds(10));

        EventFilter.Warning(contains: "Machine 'watcher' lost its target 'target': its actor at akka://test/user/target terminated (the next send resolves it again) (xstatenet.target.terminated is not handled in state idle)")
            .ExpectOne(TimeSpan.FromSeconds(10), () => Sys.Stop(target));
    }

    private static Dictionary<string, Action<OrchestratedContext>> Act(Action<OrchestratedContext> act) => new() { ["act"] = act, ["ack"] = act };
}
