using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace XStateNet.Actors.Statecharts;

/// <summary>
/// Everything a running <see cref="StatechartInterpreter"/> holds, at a moment between steps: the active
/// configuration, what history states remember, the context, events still queued, delayed events with the time
/// they still have to wait, and whether the machine is done; plus the chart's id and
/// <see cref="Statechart.Fingerprint"/>, so it is restored only into the same chart. Take one with
/// <see cref="StatechartInterpreter.GetSnapshot"/>, store it with <see cref="ToJson"/>, read it back with
/// <see cref="FromJson"/> and resume with <see cref="StatechartInterpreter.FromSnapshot"/>.
/// </summary>
/// <remarks>
/// Context values and event payloads are carried faithfully when they are of the types the engine itself reads
/// JSON into: null, <see cref="bool"/>, <see cref="string"/>, <see cref="long"/>, finite <see cref="double"/>,
/// <c>List&lt;object?&gt;</c> and <c>Dictionary&lt;string, object?&gt;</c> of these. Any other value is refused
/// when the snapshot is taken, naming where it is and its type. The payload of a queued <c>error.execution</c>
/// keeps its fields, with a <see cref="RestoredExecutionException"/> standing for the exception.
/// Immutable: the context and payloads are deep copies.
/// </remarks>
public sealed class StatechartSnapshot
{
    /// <summary>The format version this runtime writes, and the only one it reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The <c>format</c> member of the JSON, so a snapshot is recognised as one.</summary>
    public const string FormatName = "xstatenet.statechart-snapshot";

    internal StatechartSnapshot(string chartId, string fingerprint, bool isDone, IReadOnlyList<string> configuration,
        IReadOnlyDictionary<string, IReadOnlyList<string>> history, IReadOnlyDictionary<string, object?> context,
        IReadOnlyList<StatechartSnapshotEvent> queued, IReadOnlyList<StatechartSnapshotTimer> delayed)
    {
        ChartId = chartId;
        Fingerprint = fingerprint;
        IsDone = isDone;
        Configuration = configuration;
        History = history;
        Context = context;
        Queued = queued;
        Delayed = delayed;
    }

    /// <summary>The id of the chart it was taken from.</summary>
    public string ChartId { get; }

    /// <summary>The <see cref="Statechart.Fingerprint"/> of the chart it was taken from.</summary>
    public string Fingerprint { get; }

    /// <summary>True when the machine had reached a top-level final state.</summary>
    public bool IsDone { get; }

    /// <summary>Dotted paths of the active atomic states, in document order (their ancestors are active too).</summary>
    public IReadOnlyList<string> Configuration { get; }

    /// <summary>For each history state that remembers something (by path), the states it remembers.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> History { get; }

    /// <summary>A copy of the machine's context.</summary>
    public IReadOnlyDictionary<string, object?> Context { get; }

    /// <summary>Events queued but not yet handled, in the order they will be.</summary>
    public IReadOnlyList<StatechartSnapshotEvent> Queued { get; }

    /// <summary>Running timers of delayed transitions, in the order they fall due.</summary>
    public IReadOnlyList<StatechartSnapshotTimer> Delayed { get; }

    /// <summary>The snapshot as compact JSON, with <c>format</c> and <c>version</c> members.</summary>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("format", FormatName);
            w.WriteNumber("version", CurrentFormatVersion);
            w.WriteString("chart", ChartId);
            w.WriteString("fingerprint", Fingerprint);
            w.WriteBoolean("done", IsDone);
            w.WriteStartArray("configuration");
            foreach (var path in Configuration) w.WriteStringValue(path);
            w.WriteEndArray();
            w.WriteStartObject("history");
            foreach (var (state, remembered) in History)
            {
                w.WriteStartArray(state);
                foreach (var path in remembered) w.WriteStringValue(path);
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WritePropertyName("context");
            SnapshotValues.Write(w, Context);
            w.WriteStartArray("queue");
            foreach (var queued in Queued) WriteEvent(w, queued);
            w.WriteEndArray();
            w.WriteStartArray("delayed");
            foreach (var timer in Delayed)
            {
                w.WriteStartObject();
                w.WriteString("state", timer.State);
                w.WriteString("event", timer.Event);
                w.WriteNumber("remainingTicks", timer.Remaining.Ticks);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads a snapshot written by <see cref="ToJson"/>. It is checked against a chart only when restored.</summary>
    /// <exception cref="StatechartSnapshotException">Malformed JSON (with its JSON path), not a snapshot, or an unknown format version.</exception>
    public static StatechartSnapshot FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw SnapshotJson.Malformed(JsonPaths.Root, $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }
        using (document)
        {
            return Read(document.RootElement);
        }
    }

    private static StatechartSnapshot Read(JsonElement root)
    {
        var r = new SnapshotJson(root, JsonPaths.Root);
        if (r.String("format") != FormatName)
            throw SnapshotJson.Malformed(JsonPaths.Property(JsonPaths.Root, "format"), $"not a statechart snapshot (expected \"{FormatName}\")");
        var version = r.Long("version");
        if (version != CurrentFormatVersion)
            throw new StatechartSnapshotException("Cannot read the statechart snapshot",
                [$"$.version: format version {version} is not supported (this runtime reads version {CurrentFormatVersion})"]);

        var configuration = r.Array("configuration").Select((item, path) => item.AsString(path)).ToArray();
        var history = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (state, remembered) in r.Object("history").Members())
        {
            history[state] = remembered.AsArray().Select((item, path) => item.AsString(path)).ToArray();
        }
        var context = SnapshotValues.ReadMap(r.Object("context").Element, JsonPaths.Property(JsonPaths.Root, "context"));
        var queued = r.Array("queue").Select(ReadEvent).ToArray();
        var delayed = r.Array("delayed").Select((item, path) =>
        {
            var timer = item.AsObject(path);
            var ticks = timer.Long("remainingTicks");
            if (ticks < 0) throw SnapshotJson.Malformed(JsonPaths.Property(path, "remainingTicks"), "must not be negative");
            return new StatechartSnapshotTimer(timer.String("state"), timer.String("event"), TimeSpan.FromTicks(ticks));
        }).ToArray();
        return new StatechartSnapshot(r.String("chart"), r.String("fingerprint"), r.Bool("done"), configuration, history, context, queued, delayed);
    }

    private static void WriteEvent(Utf8JsonWriter w, StatechartSnapshotEvent queued)
    {
        w.WriteStartObject();
        w.WriteString("event", queued.Name);
        if (queued.Data is StatechartExecutionError error)
        {
            w.WriteStartObject("error");
            w.WriteString("name", error.Name);
            w.WriteBoolean("isGuard", error.IsGuard);
            w.WriteString("event", error.EventName);
            w.WriteString("exceptionType",
                error.Exception is RestoredExecutionException restored ? restored.OriginalType : error.Exception.GetType().FullName);
            w.WriteString("message", error.Exception.Message);
            w.WriteEndObject();
        }
        else
        {
            w.WritePropertyName("data");
            SnapshotValues.Write(w, queued.Data);
        }
        w.WriteEndObject();
    }

    private static StatechartSnapshotEvent ReadEvent(SnapshotJson item, string path)
    {
        var json = item.AsObject(path);
        var name = json.String("event");
        if (json.Element.TryGetProperty("error", out _))
        {
            var error = json.Object("error");
            var data = new StatechartExecutionError(error.String("name"), error.Bool("isGuard"), error.String("event"),
                new RestoredExecutionException(error.String("exceptionType"), error.String("message")));
            return new StatechartSnapshotEvent(name, data);
        }
        var payload = json.Element.TryGetProperty("data", out var value) ? SnapshotValues.Read(value, JsonPaths.Property(path, "data")) : null;
        return new StatechartSnapshotEvent(name, payload);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"snapshot of '{ChartId}' at [{string.Join(", ", Configuration)}]{(IsDone ? " (done)" : "")}, " +
        $"{Queued.Count.ToString(CultureInfo.InvariantCulture)} queued, {Delayed.Count.ToString(CultureInfo.InvariantCulture)} delayed";
}
