using System.Diagnostics;

namespace XStateNet.Actors.Telemetry;

/// <summary>
/// The activity source of the machines: each step a machine takes is an activity, a child of the activity that sent
/// the event it handles (the W3C trace context travels in <see cref="MachineEvent.TraceContext"/>, across processes
/// over every transport), so one chain of events is one trace. Add <see cref="SourceName"/> to an OpenTelemetry
/// <c>TracerProviderBuilder</c> (<c>AddSource</c>) or listen with an <see cref="ActivityListener"/>.
/// </summary>
/// <remarks>
/// With no listener no activity is created; an event's trace context is still passed on to the sends of the step
/// that handles it, so a process that does not trace does not break the trace of the ones that do.
/// </remarks>
public static class MachineTracing
{
    /// <summary>The activity source's name.</summary>
    public const string SourceName = "XStateNet.Actors.Machines";

    /// <summary>Tag of a step's activity: the machine id.</summary>
    public const string MachineIdTag = "xstatenet.machine.id";

    /// <summary>Tag of a step's activity: the event handled (<c>xstate.init</c> for the start, <c>xstate.timer</c> for a delayed transition).</summary>
    public const string EventTag = "xstatenet.event";

    /// <summary>Tag of a step's activity: the active atomic states after the step, comma-separated.</summary>
    public const string StatesTag = "xstatenet.states";

    /// <summary>Tag of a step's activity: the id of the machine that sent the event, when a machine did.</summary>
    public const string SourceMachineTag = "xstatenet.source.machine.id";

    internal static readonly ActivitySource Source = new(SourceName, typeof(MachineTracing).Assembly.GetName().Version?.ToString());
}
