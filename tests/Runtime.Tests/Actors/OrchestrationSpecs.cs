using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit.Abstractions;

namespace XStateNet.Actors.Tests.Actors;

public class OrchestrationSpecs(ITestOutputHelper output) : TestKit(output: output)
{
    private const string Forwarder = """
        { "initial": "ready", "states": { "ready": { "on": { "FORWARD": { "actions": "forward" }, "*": { "actions": "record" } } } } }
        """;

    private IActorRef Recorder(string id) =>
        Sys.SpawnMachine(id, Forwarder, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["forward"] = _ => { },
            ["record"] = ctx => TestActor.Tell($"{ctx.MachineId} got {ctx.EventName} from {ctx.SourceMachineId ?? "outside"}: {ctx.Payload}"),
        });

    [Fact]
    public void Machines_send_to_each_other_by_id_with_payloads_read_through_dynamic()
    {
        Sys.SpawnMachine("pong", """
            { "initial": "waiting", "states": { "waiting": { "on": { "PING": { "actions": "reply" } } } } }
            """, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["reply"] = ctx => ctx.RequestSend(ctx.SourceMachineId!, "PONG", new { Count = (int)ctx.EventData!.Count + 1 }),
        });
        var ping = Sys.SpawnMachine("ping", """
            { "initial": "idle", "states": {
                "idle": { "on": { "START": { "target": "waiting", "actions": "ping" } } },
                "waiting": { "on": { "PONG": { "target": "idle", "actions": "report" } } } } }
            """, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["ping"] = ctx => ctx.RequestSend("pong", "PING", new { Count = 41 }),
            ["report"] = ctx => TestActor.Tell($"{ctx.SourceMachineId}:{ctx.EventData!.Count}"),
        });

        ping.Tell(new MachineEvent("START"));
        ExpectMsg("pong:42", TimeSpan.FromSeconds(15)); // the first use of the C# dynamic binder is slow to JIT

    }

    [Fact]
    public void Sends_requested_during_a_step_go_out_after_it_in_the_order_requested()
    {
        Recorder("sink");
        var sender = Sys.SpawnMachine("burst", """
            { "initial": "a", "states": { "a": { "on": { "GO": { "target": "b", "actions": ["first", "second"] } } }, "b": { "entry": "third" } } }
            """, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["first"] = ctx => ctx.RequestSend("sink", "ONE", 1),
            ["second"] = ctx =>
            {
                ctx.RequestSend("sink", "TWO", 2);
                TestActor.Tell($"still in step, state [{string.Join(",", ctx.State.ActiveStates)}]");
            },
            ["third"] = ctx => ctx.RequestSend("sink", "THREE", 3),
        });

        sender.Tell(new MachineEvent("GO"));
        ExpectMsg("still in step, state []");
        ExpectMsg("sink got ONE from burst: 1");
        ExpectMsg("sink got TWO from burst: 2");
        ExpectMsg("sink got THREE from burst: 3");
    }

    [Fact]
    public void Self_sends_are_handled_after_the_current_step()
    {
        var machine = Sys.SpawnMachine("looper", """
            { "initial": "a", "context": { "n": 0 }, "states": {
                "a": { "on": { "GO": { "target": "b", "actions": "again" } } },
                "b": { "entry": "enteredB", "on": { "AGAIN": { "target": "c" } } },
                "c": { "entry": "enteredC" } } }
            """, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["again"] = ctx => ctx.RequestSelfSend("AGAIN"),
            ["enteredB"] = _ => TestActor.Tell("b"),
            ["enteredC"] = ctx => TestActor.Tell($"c from {ctx.SourceMachineId}"),
        });

        machine.Tell(new MachineEvent("GO"));
        ExpectMsg("b");
        ExpectMsg("c from looper");
    }

    [Fact]
    public void Delayed_sends_go_through_the_scheduler()
    {
        Recorder("later-sink");
        var machine = Sys.SpawnMachine("delayer", """{ "initial": "a", "states": { "a": { "on": { "GO": { "actions": "later" } } } } }""",
            new Dictionary<string, Action<OrchestratedContext>> { ["later"] = ctx => ctx.RequestDelayedSend("later-sink", "LATE", TimeSpan.FromMilliseconds(300), "x") });

        machine.Tell(new MachineEvent("GO"));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // the delay only ever makes it later, never earlier
        ExpectMsg("later-sink got LATE from delayer: x", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_send_to_an_unknown_machine_raises_error_communication_with_the_target_and_payload()
    {
        var machine = Sys.SpawnMachine("lonely", """
            { "initial": "a", "states": { "a": { "on": { "GO": { "actions": "send" }, "error.communication": { "actions": "report" } } } } }
            """, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["send"] = ctx => ctx.RequestSend("ghost", "HELLO", "payload"),
            ["report"] = ctx =>
            {
                var error = (CommunicationError)ctx.Payload!;
                TestActor.Tell($"{error.TargetMachineId}/{error.EventName}/{error.Payload}");
            },
        });

        machine.Tell(new MachineEvent("GO"));
        ExpectMsg("ghost/HELLO/payload");
    }

    [Fact]
    public void A_stopped_target_raises_target_terminated_and_a_later_send_finds_its_successor()
    {
        var sink = Recorder("phoenix");
        var machine = Sys.SpawnMachine("watcher", """
            { "initial": "a", "states": { "a": { "on": { "GO": { "actions": "send" }, "xstatenet.target.terminated": { "actions": "report" } } } } }
            """, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["send"] = ctx => ctx.RequestSend("phoenix", "HELLO"),
            ["report"] = ctx => TestActor.Tell($"lost {((MachineTerminated)ctx.Payload!).MachineId}"),
        });
        machine.Tell(new MachineEvent("GO"));
        ExpectMsg("phoenix got HELLO from watcher: ");

        Watch(sink);
        Sys.Stop(sink);
        ExpectTerminated(sink);
        ExpectMsg("lost phoenix");

        Recorder("phoenix");
        machine.Tell(new MachineEvent("GO"));
        ExpectMsg("phoenix got HELLO from watcher: ");
    }

    [Fact]
    public async Task An_async_action_holds_the_next_event_until_it_completes()
    {
        var gate = new TaskCompletionSource();
        var machine = Sys.SpawnMachine("slow", """
            { "initial": "idle", "states": {
                "idle": { "on": { "WORK": { "target": "working", "actions": "work" } } },
                "working": { "on": { "NEXT": { "target": "idle", "actions": "next" } } } } }
            """, new Dictionary<string, Func<OrchestratedContext, Task>>
        {
            ["work"] = async ctx =>
            {
                TestActor.Tell("work started");
                await gate.Task;
                ctx.RequestSend("slow-sink", "RESULT", "done"); // after the await: still delivered
                TestActor.Tell("work finished");
            },
            ["next"] = _ =>
            {
                TestActor.Tell("next handled");
                return Task.CompletedTask;
            },
        });
        Recorder("slow-sink");

        machine.Tell(new MachineEvent("WORK"));
        ExpectMsg("work started");
        machine.Tell(new MachineEvent("NEXT"));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        var snapshot = await machine.SnapshotAsync(); // answered while waiting
        Assert.Equal(new[] { "working" }, snapshot.ActiveStates);

        gate.SetResult();
        ExpectMsg("work finished");
        // The sink and this machine run independently: only each one's own order is guaranteed.
        ExpectMsgAllOf(new[] { "slow-sink got RESULT from slow: done", "next handled" });
    }

    [Fact]
    public async Task A_failing_async_action_raises_error_execution()
    {
        var machine = Sys.SpawnMachine("async-fail", """
            { "initial": "a", "states": { "a": { "on": { "GO": { "actions": "fail" }, "error.execution": { "target": "b" } } }, "b": { "entry": "report" } } }
            """, new Dictionary<string, Func<OrchestratedContext, Task>>
        {
            ["fail"] = async _ =>
            {
                await Task.Yield();
                throw new TimeoutException("database");
            },
            ["report"] = _ =>
            {
                TestActor.Tell("recovered");
                return Task.CompletedTask;
            },
        });

        EventFilter.Exception<TimeoutException>().ExpectOne(() => machine.Tell(new MachineEvent("GO")));
        ExpectMsg("recovered");
    }
}
