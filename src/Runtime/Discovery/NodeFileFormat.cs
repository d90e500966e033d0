using System.Text;
using System.Text.Json;
using Akka.Actor;

namespace XStateNet.Actors.Discovery;

/// <summary>
/// The bytes of one node's directory file: a small JSON object, versioned by its <c>format</c> field.
/// <code>
/// { "format": "xstatenet-directory/1", "pid": 4242, "processStart": 98765,
///   "addresses": [ "akka.pipe://Left@localhost:21001" ],
///   "machines": [ { "id": "ping", "path": "/user/ping", "since": 1764640000000 } ] }
/// </code>
/// Files are input from whoever can write the folder: reading checks everything (size first, then shape, types,
/// bounds) and says exactly what is wrong, and never throws anything but <see cref="InvalidDataException"/>.
/// </summary>
internal static class NodeFileFormat
{
    public const string Format = "xstatenet-directory/1";

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 8 };

    public static byte[] Write(NodeRecord record)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteNumber("pid", record.Pid);
            json.WriteNumber("processStart", record.ProcessStart);
            json.WriteStartArray("addresses");
            foreach (var address in record.Addresses) json.WriteStringValue(address);
            json.WriteEndArray();
            json.WriteStartArray("machines");
            foreach (var machine in record.Machines)
            {
                json.WriteStartObject();
                json.WriteString("id", machine.Id);
                json.WriteString("path", machine.Path);
                json.WriteNumber("since", machine.Since);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <exception cref="InvalidDataException">The bytes are not a node file of this format; the message says why.</exception>
    public static NodeRecord Read(ReadOnlyMemory<byte> bytes, int maxMachines)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not JSON ({e.Message}); a torn or foreign file", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"a JSON {root.ValueKind}, not a node object");
            var format = Property(root, "format", JsonValueKind.String).GetString();
            if (format != Format) throw new InvalidDataException($"format \"{Shorten(format)}\", not \"{Format}\" (a foreign file, or another version's)");
            var pid = Property(root, "pid", JsonValueKind.Number).TryGetInt32(out var p) && p > 0 ? p : throw new InvalidDataException("pid is not a positive whole number");
            var start = Property(root, "processStart", JsonValueKind.Number).TryGetInt64(out var s) && s >= 0 ? s : throw new InvalidDataException("processStart is not a whole number");
            var addresses = new List<string>();
            foreach (var item in Property(root, "addresses", JsonValueKind.Array).EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || !ActorPath.TryParseAddress(item.GetString()!, out _))
                    throw new InvalidDataException($"address {Shorten(item.ToString())} is not an Akka address");
                addresses.Add(item.GetString()!);
            }
            var machines = new List<MachineRecord>();
            foreach (var item in Property(root, "machines", JsonValueKind.Array).EnumerateArray())
            {
                if (machines.Count == maxMachines) throw new InvalidDataException($"more than {maxMachines} machines (xstatenet.directory.max-machines)");
                if (item.ValueKind != JsonValueKind.Object) throw new InvalidDataException("a machine is not an object");
                var id = Property(item, "id", JsonValueKind.String).GetString();
                var path = Property(item, "path", JsonValueKind.String).GetString();
                if (string.IsNullOrEmpty(id)) throw new InvalidDataException("a machine has an empty id");
                if (string.IsNullOrEmpty(path) || path[0] != '/' || path.Contains("://", StringComparison.Ordinal))
                    throw new InvalidDataException($"machine '{Shorten(id)}' has the path \"{Shorten(path)}\", not an actor path without address");
                var since = Property(item, "since", JsonValueKind.Number).TryGetInt64(out var t) ? t : throw new InvalidDataException($"machine '{Shorten(id)}': since is not a whole number");
                machines.Add(new MachineRecord(id, path, since));
            }
            return new NodeRecord(pid, start, addresses, machines);
        }
    }

    private static JsonElement Property(JsonElement element, string name, JsonValueKind kind)
    {
        if (!element.TryGetProperty(name, out var value)) throw new InvalidDataException($"no \"{name}\"");
        return value.ValueKind == kind ? value : throw new InvalidDataException($"\"{name}\" is a JSON {value.ValueKind}, not {kind}");
    }

    /// <summary>Hostile text goes into log lines: keep it short and printable.</summary>
    private static string Shorten(string? text)
    {
        if (text is null) return "(null)";
        var builder = new StringBuilder();
        foreach (var c in text.Length > 60 ? text[..60] : text) builder.Append(char.IsControl(c) ? '?' : c);
        return text.Length > 60 ? builder.Append("...").ToString() : builder.ToString();
    }
}
