using System.Globalization;
using XStateNet.Actors.TestKit;

namespace XStateNet.Actors.TestKit.Tests.Ported;

/// <summary>
/// The repository's ping-pong and recovery specs (tests/MultiProcess.Tests, on tests/NodeHost's built-in machines)
/// rewritten on the package: the machines and their actions are declared here, in the test project. The pinger
/// keeps its state in its context, so a restarted node needs nothing from before.
/// </summary>
public sealed class PingPongRoles : MultiNodeConfig
{
    private const string PingChart = """
        {
          "id": "ping", "initial": "ready", "context": { "seq": 0, "rounds": 0 },
          "states": { "ready": { "on": {
            "START": { "actions": "start" },
            "PONG": { "actions": "onPong" },
            "error.communication": { "actions": "reportCommunicationError" },
            "xstatenet.target.terminated": { "actions": "reportTargetTerminated" }
          } } }
        }
        """;

    private const string PongChart = """
        { "id": "pong", "initial": "ready", "states": { "ready": { "on": { "PING": { "actions": "reply" } } } } }
        """;

    public PingPongRoles()
    {
        // Short failure detection: a paused node is declared dead within a few seconds.
        CommonConfig("""
            akka.remote.watch-failure-detector.heartbeat-interval = 200ms
            akka.remote.watch-failure-detector.acceptable-heartbeat-pause = 1.5s
            akka.remote.watch-failure-detector.expected-response-after = 500ms
            akka.remote.watch-failure-detector.unreachable-nodes-reaper-interval = 250ms
            xstatenet.resolve-timeout = 2s
            """);
        Role("left").Machine("ping", PingChart, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["start"] = Start,
            ["onPong"] = OnPong,
            ["reportCommunicationError"] = ctx =>
                ctx.RequestSend("probe", "COMMUNICATION_ERROR", new { Reason = ((CommunicationError)ctx.Payload!).Reason }),
            ["reportTargetTerminated"] = ctx =>
            {
                var gone = (MachineTerminated)ctx.Payload!;
                if (gone.MachineId != "probe") ctx.RequestSend("probe", "TARGET_TERMINATED", new { Target = gone.MachineId });
            },
        });
        Role("right").Machine("pong", PongChart, new Dictionary<string, Action<OrchestratedContext>>
        {
            ["reply"] = ctx => ctx.RequestSend(ctx.SourceMachineId!, "PONG", ctx.Payload),
        });
    }

    private static void Start(OrchestratedContext ctx)
    {
        ctx.Context["rounds"] = (long)ctx.EventData!.Rounds;
        ctx.Context["seq"] = 1L;
        ctx.RequestSend("pong", "PING", 1L);
    }

    private static void OnPong(OrchestratedContext ctx)
    {
        var sequence = Convert.ToInt64(ctx.Context["seq"], CultureInfo.InvariantCulture);
        var rounds = Convert.ToInt64(ctx.Context["rounds"], CultureInfo.InvariantCulture);
        var answer = Convert.ToInt64(ctx.Payload, CultureInfo.InvariantCulture);
        if (answer != sequence)
        {
            ctx.RequestSend("probe", "ORDER_ERROR", new { Expected = sequence, Got = answer });
        }
        else if (sequence >= rounds)
        {
            ctx.RequestSend("probe", "PONG_DONE", new { Rounds = rounds, From = ctx.SourceMachineId });
        }
        else
        {
            ctx.Context["seq"] = sequence + 1;
            ctx.RequestSend("pong", "PING", sequence + 1);
        }
    }
}
