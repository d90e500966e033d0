using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using XStateNet.Actors.Diagrams;

namespace XStateNet.Actors.Inspection;

/// <summary>
/// The page's data: every machine with its chart drawn (active states highlighted), its context and last events.
/// A context value that cannot be written as JSON (a cycle too deep, a type the serializer refuses) is shown as
/// its type and text instead of failing the whole answer.
/// </summary>
internal static class InspectorJson
{
    private static readonly JsonSerializerOptions ValueOptions = new()
    {
        ReferenceHandler = ReferenceHandler.IgnoreCycles,
        MaxDepth = 32,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static byte[] Machines(IReadOnlyList<InspectedMachine> machines, TransportView? transports = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("machines");
            foreach (var machine in machines.OrderBy(m => m.Node, StringComparer.Ordinal).ThenBy(m => m.Id, StringComparer.Ordinal))
                WriteMachine(json, machine);
            json.WriteEndArray();
            if (transports is not null) WriteTransports(json, transports);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteTransports(Utf8JsonWriter json, TransportView transports)
    {
        json.WriteStartObject("transports");
        WriteStrings(json, "listening", transports.Listening);
        json.WriteStartArray("peers");
        foreach (var peer in transports.Peers)
        {
            json.WriteStartObject();
            json.WriteString("address", peer.Address);
            json.WriteBoolean("alive", peer.IsAlive);
            if (peer.ProcessId is { } pid) json.WriteNumber("processId", pid);
            else json.WriteNull("processId");
            json.WriteString("goneReason", peer.GoneReason);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteMachine(Utf8JsonWriter json, InspectedMachine machine)
    {
        json.WriteStartObject();
        json.WriteString("node", machine.Node);
        json.WriteString("id", machine.Id);
        json.WriteBoolean("isDone", machine.IsDone);
        WriteStrings(json, "activeStates", machine.ActiveStates);
        json.WriteString("svg", StatechartDiagram.ToSvg(machine.Chart, machine.ActiveStates));
        json.WriteStartObject("context");
        foreach (var (key, value) in machine.Context.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            json.WritePropertyName(key);
            WriteValue(json, value);
        }
        json.WriteEndObject();
        json.WriteStartArray("lastEvents");
        foreach (var step in machine.LastEvents)
        {
            json.WriteStartObject();
            json.WriteString("name", step.EventName);
            json.WriteString("at", step.At);
            WriteStrings(json, "activeStates", step.ActiveStates);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values) json.WriteStringValue(value);
        json.WriteEndArray();
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        if (value is null)
        {
            json.WriteNullValue();
            return;
        }
        JsonElement element;
        try
        {
            element = JsonSerializer.SerializeToElement(value, value.GetType(), ValueOptions);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            json.WriteStringValue($"({value.GetType().Name}) {value}");
            return;
        }
        element.WriteTo(json);
    }
}
