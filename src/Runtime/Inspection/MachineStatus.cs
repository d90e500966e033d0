namespace XStateNet.Actors.Inspection;

/// <summary>How one machine of this actor system fares (see <see cref="MachineObservation.Statuses"/>).</summary>
/// <param name="Id">The machine id.</param>
/// <param name="IsDone">True once it reached a top-level final state.</param>
/// <param name="Failure">
/// Why it failed, or null: a step it could not finish (a <see cref="Statecharts.StatechartRuntimeException"/>, such as
/// eventless transitions that never settle), or a runtime error event (<c>error.execution</c>,
/// <c>error.communication</c>) its chart did not handle. The last such failure; the machine may run on.
/// </param>
public sealed record MachineStatus(string Id, bool IsDone, string? Failure)
{
    /// <summary>True when it failed as <see cref="Failure"/> says.</summary>
    public bool HasFailed => Failure is not null;
}
