namespace XStateNet.Actors.Bench.Sharding;

/// <summary>The benchmark's machine: counts INC and acknowledges each with ACK (a Reply), in one state.</summary>
internal static class CounterMachine
{
    public const string Chart = """
        { "id": "counter", "initial": "active", "context": { "count": 0 },
          "states": { "active": { "on": { "INC": { "actions": "count" } } } } }
        """;

    public static readonly Dictionary<string, Action<OrchestratedContext>> Actions = new()
    {
        ["count"] = ctx =>
        {
            ctx.Context["count"] = (long)ctx.Context["count"]! + 1;
            ctx.Reply("ACK");
        },
    };

    public static XStateNet.Actors.Sharding.ShardedMachineOptions Options(bool persisted) => new XStateNet.Actors.Sharding.ShardedMachineOptions()
        .Script(Chart).Actions(Actions).IdPrefix("order-").PassivateAfter(null).Persistence(persisted);
}
