using Akka.Actor;

namespace XStateNet.Actors.Sharding.Tests;

/// <summary>The tally machine of the delivery specs: it applies every INC (no deduplication of its own) and records its key.</summary>
internal static class Tally
{
    /// <summary>Applies every INC and acknowledges it with its key.</summary>
    public const string Chart = """
        { "id": "tally", "initial": "open", "context": { "applied": "" },
          "states": { "open": { "on": { "INC": { "actions": "tally" } } } } }
        """;

    public static readonly Dictionary<string, Action<OrchestratedContext>> Actions = new()
    {
        ["tally"] = ctx =>
        {
            ctx.Context["applied"] = (string)ctx.Context["applied"]! + " " + (string)ctx.Payload!;
            ctx.Reply("ACK", ctx.Payload);
        },
    };

    /// <summary>Starts the tally type on <paramref name="node"/> (30 shards, never passivated).</summary>
    public static Task Start(ActorSystem node) =>
        ShardedMachines.For(node).StartAsync("tally", new ShardedMachineOptions()
            .Script(Chart).Actions(Actions).IdPrefix("tally-").PassivateAfter(null).Shards(30));

    /// <summary>The next <see cref="EventAcknowledged"/> the inbox got (the machine's ACK replies to the same inbox are skipped).</summary>
    public static async Task<EventAcknowledged> NextAcknowledgement(Inbox inbox)
    {
        while (true)
        {
            if (await inbox.ReceiveAsync(TimeSpan.FromSeconds(30)) is EventAcknowledged acknowledged) return acknowledged;
        }
    }
}
