namespace XStateNet.Actors.Statecharts;

/// <summary>
/// What an action or guard sees: its own name, the event being processed and the machine's context.
/// The interpreter reuses one instance for every call, so read it during the call and do not keep it.
/// </summary>
public sealed class StatechartActionContext
{
    internal StatechartActionContext(StatechartInterpreter interpreter, IDictionary<string, object?> context)
    {
        Interpreter = interpreter;
        Context = context;
    }

    /// <summary>The name of the action or guard being called.</summary>
    public string Name { get; internal set; } = "";

    /// <summary>The name of the event being processed.</summary>
    public string EventName { get; internal set; } = "";

    /// <summary>The data sent with the event, if any.</summary>
    public object? EventData { get; internal set; }

    /// <summary>The machine's mutable context, seeded from the chart's <c>context</c> object.</summary>
    public IDictionary<string, object?> Context { get; }

    /// <summary>The interpreter running the action.</summary>
    public StatechartInterpreter Interpreter { get; }

    /// <summary>Sends an event to this machine; it is queued and handled after the current step, never re-entrantly.</summary>
    public void Send(string eventName, object? data = null) => Interpreter.Send(eventName, data);
}
