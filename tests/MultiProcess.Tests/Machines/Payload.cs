namespace XStateNet.Actors.MultiProcess.Tests.Machines;

/// <summary>Reads the fields of a dictionary payload sent by a spec, failing with a message that names the field.</summary>
internal static class Payload
{
    public static long Long(OrchestratedContext ctx, string key) => Convert.ToInt64(Field(ctx, key), System.Globalization.CultureInfo.InvariantCulture);

    public static string Text(OrchestratedContext ctx, string key, string fallback) =>
        Fields(ctx).TryGetValue(key, out var value) && value is string text ? text : fallback;

    public static object Field(OrchestratedContext ctx, string key) =>
        Fields(ctx).TryGetValue(key, out var value) && value is not null
            ? value
            : throw new InvalidOperationException($"{ctx.MachineId}: event {ctx.EventName} needs a payload field '{key}'");

    private static IDictionary<string, object?> Fields(OrchestratedContext ctx) =>
        ctx.Payload as IDictionary<string, object?>
        ?? throw new InvalidOperationException($"{ctx.MachineId}: event {ctx.EventName} needs a dictionary payload, got {ctx.Payload?.GetType().Name ?? "null"}");
}
