namespace XStateNet.Actors.Statecharts;

/// <summary>
/// Describes an action or guard that threw. It is the data of the <c>error.execution</c> event the interpreter
/// raises in its own machine (<see cref="StatechartEvents.ErrorExecution"/>), as SCXML prescribes, and is handed to <see cref="StatechartOptions.OnExecutionError"/>.
/// </summary>
/// <param name="Name">The action or guard name.</param>
/// <param name="IsGuard">True when a guard threw (it then counts as false).</param>
/// <param name="EventName">The event being processed when it threw.</param>
/// <param name="Exception">What was thrown.</param>
public sealed record StatechartExecutionError(string Name, bool IsGuard, string EventName, Exception Exception);
