using System.Diagnostics.Metrics;

namespace XStateNet.Actors.Telemetry;

/// <summary>
/// The meter of the machines: events handled, transitions taken, runtime errors and step time, tagged with the
/// chart (<see cref="ChartTag"/>: the root id of the machine's chart, a bounded set, unlike machine ids). Add
/// <see cref="MeterName"/> to an OpenTelemetry <c>MeterProviderBuilder</c> (<c>AddMeter</c>) or listen with a
/// <see cref="MeterListener"/>.
/// </summary>
/// <remarks>Nobody listening costs a step a few field reads (<see cref="Instrument.Enabled"/>) and no clock read.</remarks>
public static class MachineMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "XStateNet.Actors.Machines";

    /// <summary>The tag naming the machine's chart (its root state id).</summary>
    public const string ChartTag = "xstatenet.chart";

    /// <summary>The tag naming the runtime error event (<c>error.execution</c>, <c>error.communication</c>).</summary>
    public const string ErrorTypeTag = "error.type";

    /// <summary>Counter (<c>{event}</c>): events a machine handled (each is one step: messages, timers, failed async actions).</summary>
    public const string EventsHandled = "xstatenet.machine.events.handled";

    /// <summary>Counter (<c>{transition}</c>): transitions taken (eventless ones included).</summary>
    public const string Transitions = "xstatenet.machine.transitions";

    /// <summary>Counter (<c>{error}</c>): <c>error.execution</c> raised in a machine and <c>error.communication</c> it handled, tagged <see cref="ErrorTypeTag"/>.</summary>
    public const string Errors = "xstatenet.machine.errors";

    /// <summary>Histogram (<c>s</c>): how long one step took (the interpreter's step and the sends it requested going out).</summary>
    public const string StepDuration = "xstatenet.machine.step.duration";

    internal static readonly Meter Meter = new(MeterName, typeof(MachineMetrics).Assembly.GetName().Version?.ToString());

    internal static readonly Counter<long> Handled = Meter.CreateCounter<long>(EventsHandled, "{event}", "Events a machine handled.");
    internal static readonly Counter<long> Taken = Meter.CreateCounter<long>(Transitions, "{transition}", "Transitions taken.");
    internal static readonly Counter<long> Failures = Meter.CreateCounter<long>(Errors, "{error}", "Runtime error events (error.execution, error.communication).");
    internal static readonly Histogram<double> Step = Meter.CreateHistogram<double>(StepDuration, "s", "How long one machine step took.");
}
