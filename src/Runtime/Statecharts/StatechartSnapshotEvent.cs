namespace XStateNet.Actors.Statecharts;

/// <summary>An event that was queued, not yet handled, when a snapshot was taken.</summary>
/// <param name="Name">The event name.</param>
/// <param name="Data">
/// Its payload: a value <see cref="StatechartSnapshot"/> can carry (see there), or, for <c>error.execution</c>,
/// a <see cref="StatechartExecutionError"/>.
/// </param>
public sealed record StatechartSnapshotEvent(string Name, object? Data);
