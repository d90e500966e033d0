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
        get => _traceParent is not null && ActivityContext.TryParse(_traceParent, null, isRemote: true, out var context) ? context : default;
        init => _traceParent = value == default ? null : $"00-{value.TraceId.ToHexString()}-{value.SpanId.ToHexString()}-{(byte)(value.TraceFlags & ActivityTraceFlags.Recorded):x2}";
    }

    private readonly string? _traceParent;

    /// <summary>True when <see cref="TraceContext"/> is set (read without parsing it).</summary>
    internal bool HasTraceContext => _traceParent is not null;
}
