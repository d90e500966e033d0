namespace XStateNet.Actors.MultiProcess.Tests.Machines;

/// <summary>
/// Tells the test process what happened: events sent to the machine id <see cref="ReportId"/>, which the spec
/// routes (<c>xstatenet.machines.report</c>) to an actor of its own. Payloads are dictionaries of plain values, so
/// both sides need no shared types.
/// </summary>
internal static class Reporting
{
    public const string ReportId = "report";

    public static IEnumerable<KeyValuePair<string, Action<OrchestratedContext>>> Actions =>
    [
        new("reportCommunicationError", ReportCommunicationError),
        new("reportTargetTerminated", ReportTargetTerminated),
    ];

    public static void Report(OrchestratedContext ctx, string eventName, params (string Key, object? Value)[] fields)
    {
        var payload = new Dictionary<string, object?>(StringComparer.Ordinal) { ["machine"] = ctx.MachineId };
        foreach (var (key, value) in fields) payload[key] = value;
        ctx.RequestSend(ReportId, eventName, payload);
    }

    private static void ReportCommunicationError(OrchestratedContext ctx)
    {
        var error = (CommunicationError)ctx.Payload!;
        if (error.TargetMachineId == ReportId)
        {
            // Reporting that the report target is unreachable would loop; the node's log is all we have.
            Console.WriteLine($"REPORT-UNREACHABLE {ctx.MachineId}: {error.EventName} lost: {error.Reason}");
            return;
        }
        Report(ctx, "COMMUNICATION_ERROR", ("target", error.TargetMachineId), ("event", error.EventName), ("reason", error.Reason));
    }

    private static void ReportTargetTerminated(OrchestratedContext ctx)
    {
        var terminated = (MachineTerminated)ctx.Payload!;
        if (terminated.MachineId == ReportId) return; // the test process is going away
        Report(ctx, "TARGET_TERMINATED", ("target", terminated.MachineId), ("path", terminated.Path));
    }
}
