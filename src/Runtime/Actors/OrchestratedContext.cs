using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors;

/// <summary>
/// What a machine's action or guard receives: the event, the machine's context and state, and the means to
/// talk to other machines by id. The same code works whether the target lives in this process, another
/// process on the host or another host; only the HOCON routes differ (on one host with pipe or shm, the host
/// directory finds machines with no routes, and <see cref="Reply"/> answers any sender). Sends are collected during the step and
/// go out when it completes, in the order requested, so no machine ever runs re-entrantly.
/// </summary>
/// <remarks>The machine reuses one instance for every call: use it during the call (or, in an async action,
/// until its task completes), and don't keep it.</remarks>
public sealed class OrchestratedContext
{
    private readonly List<OutgoingSend> _outbox;
    private readonly Func<string, TargetProcessInfo> _describe;
    private StatechartActionContext? _current;

    internal OrchestratedContext(string machineId, MachineStateView state, Func<string, TargetProcessInfo> describe, List<OutgoingSend> outbox)
    {
        MachineId = machineId;
        State = state;
        _describe = describe;
        _outbox = outbox;
    }

    /// <summary>The id of the machine running the action.</summary>
    public string MachineId { get; }

    /// <summary>The name of the action or guard being called.</summary>
    public string ActionName => Current.Name;

    /// <summary>The name of the event being handled.</summary>
    public string EventName => Current.EventName;

    /// <summary>
    /// The event's payload, usable as <c>dynamic</c> (<c>ctx.EventData.File</c>) even for anonymous types and
    /// dictionaries from other assemblies. Public types come through as themselves, so casts work.
    /// </summary>
    public dynamic? EventData => DynamicPayload.Wrap(Current.EventData);

    /// <summary>The event's payload as sent, without the dynamic view.</summary>
    public object? Payload => Current.EventData;

    /// <summary>
    /// The id of the machine that sent the event that started this step, or null when it came from outside any machine.
    /// <see cref="RequestSend"/> to it works with no route: the runtime remembers where each id last sent from.
    /// </summary>
    public string? SourceMachineId { get; internal set; }

    /// <summary>The sender of the message being handled (null: none, or not a message), for <see cref="Reply"/>.</summary>
    internal Akka.Actor.IActorRef? ReplySender { get; set; }

    /// <summary>
    /// The trace context the sends of this step carry, as <c>traceparent</c> text: the step's activity, the handled
    /// event's own when no activity was started, null with tracing switched off. Text, so that every send of a step
    /// shares one string instead of formatting its own.
    /// </summary>
    internal string? TraceParent { get; set; }

    /// <summary>The machine's mutable context, seeded from the chart's <c>context</c>.</summary>
    public IDictionary<string, object?> Context => Current.Context;

    /// <summary>A read-only view of the machine's state.</summary>
    public MachineStateView State { get; }

    /// <summary>Sends an event to the machine with id <paramref name="targetMachineId"/>, once this step completes.</summary>
    public void RequestSend(string targetMachineId, string eventName, object? payload = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetMachineId);
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        _outbox.Add(new OutgoingSend(targetMachineId, Outgoing(eventName, payload), TimeSpan.Zero));
    }

    /// <summary>
    /// Sends an event, once this step completes, to whoever sent the event being handled: a machine in this or any
    /// other process (any transport, no route needed), or a plain actor that told this machine a
    /// <see cref="MachineEvent"/>. When the event was told with no sender (<c>ActorRefs.NoSender</c>), or came from a
    /// timer, the machine gets <c>error.communication</c> saying there is no one to reply to.
    /// </summary>
    public void Reply(string eventName, object? payload = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        _outbox.Add(new OutgoingSend(null, Outgoing(eventName, payload), TimeSpan.Zero, new ReplyAddress(ReplySender, SourceMachineId, EventName)));
    }

    /// <summary>Sends an event to this machine; it is queued behind the current step and what already waits in the mailbox.</summary>
    public void RequestSelfSend(string eventName, object? payload = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        _outbox.Add(new OutgoingSend(null, Outgoing(eventName, payload), TimeSpan.Zero));
    }

    /// <summary>Sends an event to a machine after a delay, through Akka's scheduler.</summary>
    public void RequestDelayedSend(string targetMachineId, string eventName, TimeSpan delay, object? payload = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetMachineId);
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        _outbox.Add(new OutgoingSend(targetMachineId, Outgoing(eventName, payload), delay));
    }

    /// <summary>
    /// Where a send to a machine id would go now: its actor path, address, and whether it is local, from its route,
    /// this node's machines, the senders heard from, or the host directory (read here, so not for every event).
    /// </summary>
    public TargetProcessInfo GetTargetProcessInfo(string machineId)
    {
        ArgumentException.ThrowIfNullOrEmpty(machineId);
        return _describe(machineId);
    }

    internal void Bind(StatechartActionContext current) => _current = current;

    private MachineEvent Outgoing(string eventName, object? payload) => new(eventName, payload) { SourceMachineId = MachineId, TraceParent = TraceParent };

    private StatechartActionContext Current =>
        _current ?? throw new InvalidOperationException("This context is only usable while one of its machine's actions or guards runs.");
}
