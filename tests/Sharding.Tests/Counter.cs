using System.Collections.Concurrent;

namespace XStateNet.Actors.Sharding.Tests;

/// <summary>
/// The counter machine of the sharding specs: INC carries a sequence number and counts once per number (a repeated
/// one, sent again after a lost acknowledgement, only acknowledges again); PING answers PONG and says HELLO back to
/// the sender by id; WORLD (the sender's reply to HELLO) is noted in the context.
/// </summary>
internal static class Counter
{
    public const string Chart = """
        { "id": "counter", "initial": "active", "context": { "count": 0, "last": 0, "world": false },
          "states": { "active": { "on": {
            "INC": { "actions": "count" },
            "PING": { "actions": "pong" },
            "WORLD": { "actions": "world" },
            "STOP": "stopped" } },
            "stopped": {} } }
        """;

    /// <summary>The same machine after a change that removed a state: snapshots of the old chart no longer fit.</summary>
    public const string ChangedChart = """
        { "id": "counter", "initial": "running", "context": { "count": 0, "last": 0, "world": false },
          "states": { "running": { "on": {
            "INC": { "actions": "count" },
            "PING": { "actions": "pong" },
            "WORLD": { "actions": "world" } } } } }
        """;

    public static ShardedMachineOptions Options(string? chart = null) => new ShardedMachineOptions()
        .Script(chart ?? Chart)
        .IdPrefix("order-")
        .Actions(Actions);

    public static readonly Dictionary<string, Action<OrchestratedContext>> Actions = new()
    {
            ["count"] = ctx =>
            {
                var seq = Convert.ToInt64(ctx.Payload);
                if (seq > (long)ctx.Context["last"]!)
                {
                    ctx.Context["count"] = (long)ctx.Context["count"]! + 1;
                    ctx.Context["last"] = seq;
                }
                ctx.Reply("ACK", seq);
            },
            ["pong"] = ctx =>
            {
                ctx.Reply("PONG", ctx.MachineId);
                ctx.RequestSend(ctx.SourceMachineId!, "HELLO");
            },
            ["world"] = ctx => ctx.Context["world"] = true,
    };

    /// <summary>A plain (not sharded) machine that pings sharded ones by id and answers their HELLO with a Reply.</summary>
    public const string ClientChart = """
        { "initial": "ready", "states": { "ready": { "on": {
            "GO": { "actions": "ping" }, "PONG": { "actions": "record" }, "HELLO": { "actions": "answer" },
            "ACK": { "actions": "record" }, "error.communication": { "actions": "record" } } } } }
        """;

    public static Dictionary<string, Action<OrchestratedContext>> ClientActions(ConcurrentQueue<string> seen) => new()
    {
        ["ping"] = ctx => ctx.RequestSend((string)ctx.Payload!, "PING"),
        ["record"] = ctx => seen.Enqueue(ctx.EventName + " " + (ctx.Payload is CommunicationError error ? error.Reason : ctx.SourceMachineId)),
        ["answer"] = ctx => ctx.Reply("WORLD"),
    };

    public static async Task Eventually(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within {seconds} s: {what}");
            await Task.Delay(100);
        }
    }
}
