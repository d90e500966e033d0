namespace XStateNet.Actors.Statecharts;

/// <summary>A delayed (<c>after</c>) event whose timer was running when a snapshot was taken.</summary>
/// <param name="State">The dotted path of the state whose <c>after</c> started the timer.</param>
/// <param name="Event">The event it will raise, e.g. <c>xstate.after.1000.machine.wait</c>.</param>
/// <param name="Remaining">How long it still had to wait (zero when already due).</param>
public sealed record StatechartSnapshotTimer(string State, string Event, TimeSpan Remaining);
