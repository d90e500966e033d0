using System.Diagnostics;

namespace XStateNet.Actors;

/// <summary>
/// An event for a machine actor: <c>machine.Tell(new MachineEvent("START", data))</c>. Machines send these to one
/// another through <see cref="OrchestratedContext.RequestSend"/>; the payload crosses processes with the
/// runtime's Hyperion serializer, so its type must be loadable on both sides.
/// </summary>
/// <param name="Name">The event name the statechart reacts to.</param>
/// <param name="Data">The payload, or null.</param>
public sealed record MachineEvent(string Name, object? Data = null)
{
    /// <summary>The id of the machine that sent it, or null when it came from outside any machine.</summary>
    public string? SourceMachineId { get; init; }

    /// <summary>
    /// The W3C trace context (trace id, parent span id, flags) of the step that sent it, or default when none: the
    /// machine that handles it starts its step's activity as a child of this one (see
    /// <see cref="Telemetry.MachineTracing"/>). Set by <see cref="OrchestratedContext.RequestSend"/>; travels with the
    /// event to other processes (its trace state does not) in the bytes of the machine event serializer.
    /// </summary>
    /// <remarks>
    /// Kept as W3C <c>traceparent</c> text: an event serialized with Hyperion (as another message's payload, say) then
    /// names no diagnostics type a node's allow list would refuse, and what a peer wrote there is parsed, and dropped
    /// when invalid, as it is read.
    /// </remarks>
    public ActivityContext TraceContext
    {
        get => Parse(_traceParent);
        init => _traceParent = Format(value);
    }

    private readonly string? _traceParent;

    /// <summary>True when <see cref="TraceContext"/> is set (read without parsing it).</summary>
    internal bool HasTraceContext => _traceParent is not null;

    /// <summary>
    /// <see cref="TraceContext"/> as its <c>traceparent</c> text, or null: a step that starts no activity passes the
    /// event's own text on to its sends as it is, with nothing parsed or formatted.
    /// </summary>
    internal string? TraceParent
    {
        get => _traceParent;
        init => _traceParent = value;
    }

    /// <summary>The <c>traceparent</c> text of <paramref name="context"/> (only its sampled flag kept), or null for none.</summary>
    internal static string? Format(ActivityContext context) =>
        context == default ? null : $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{(byte)(context.TraceFlags & ActivityTraceFlags.Recorded):x2}";

    /// <summary>Parses <c>traceparent</c> text kept by <see cref="TraceParent"/>; default when absent or invalid.</summary>
    internal static ActivityContext Parse(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;
}
