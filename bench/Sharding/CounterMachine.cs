using XStateNet.Actors.Sharding;
using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Bench.Sharding;

/// <summary>The benchmark's machine: counts INC and acknowledges each with ACK (a Reply), in one state.</summary>
internal static class CounterMachine
{
    public const string Json = """
        { "id": "counter", "initial": "active", "context": { "count": 0 },
          "states": { "active": { "on": { "INC": { "actions": "count" } } } } }
        """;

    /// <summary>Parsed once: every machine, plain or sharded, shares it.</summary>
    public static readonly Statechart Chart = Statechart.Parse(Json);

    public static readonly Dictionary<string, Action<OrchestratedContext>> Actions = new()
    {
        ["count"] = ctx =>
        {
            ctx.Context["count"] = (long)ctx.Context["count"]! + 1;
            ctx.Reply("ACK");
        },
    };

    /// <summary>A plain (not sharded) machine of this chart.</summary>
    public static MachineDefinition Plain(string id) => new(id, Chart) { Actions = Actions };

    public static ShardedMachineOptions Options(string prefix, bool persisted, TimeSpan? passivateAfter = null) => new ShardedMachineOptions()
        .Chart(Chart).Actions(Actions).IdPrefix(prefix).PassivateAfter(passivateAfter).Persistence(persisted);
}
