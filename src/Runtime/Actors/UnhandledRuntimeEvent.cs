using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors;

/// <summary>
/// Nothing silent: the events the runtime raises in a machine by itself (<c>error.communication</c>,
/// <c>error.execution</c>, <c>xstatenet.target.terminated</c>) are how a chart learns that something was lost or
/// failed. When the chart has no transition for one, the warning this describes is the only trace left, so it says
/// which machine, which target, which event and why, whatever the kind of error.
/// </summary>
internal static class UnhandledRuntimeEvent
{
    /// <summary>True for the runtime's own error events, the ones that must never vanish unnoticed.</summary>
    public static bool IsWatched(string eventName) =>
        eventName is MachineEvents.ErrorCommunication or MachineEvents.ErrorExecution or MachineEvents.TargetTerminated;

    /// <summary>The warning for <paramref name="eventName"/> with <paramref name="data"/> that no active state handles.</summary>
    public static string Describe(string machineId, string eventName, object? data, IEnumerable<string> activeStates)
    {
        var what = data switch
        {
            CommunicationError error => $"could not send '{error.EventName}' to '{error.TargetMachineId}': {error.Reason}",
            MachineTerminated terminated => $"lost its target '{terminated.MachineId}': its actor at {terminated.Path} terminated (the next send resolves it again)",
            StatechartExecutionError error => $"{(error.IsGuard ? "guard" : "action")} '{error.Name}' failed while handling '{error.EventName}': " +
                                              $"{error.Exception.GetType().Name}: {error.Exception.Message}",
            _ => $"raised {eventName} with {data ?? "no data"}",
        };
        return $"Machine '{machineId}' {what} ({eventName} is not handled in state {string.Join(", ", activeStates)})";
    }
}
