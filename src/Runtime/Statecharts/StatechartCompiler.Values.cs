using System.Text.Json;

namespace XStateNet.Actors.Statecharts;

/// <summary>Actions, guards and the small values every pass reads, with their errors.</summary>
internal sealed partial class StatechartCompiler
{
    private int[] ReadActionList(JsonElement json, string jsonPath, string v5Key, string v4Key)
    {
        var hasV5 = json.TryGetProperty(v5Key, out var v5);
        var hasV4 = json.TryGetProperty(v4Key, out var v4);
        if (hasV5 && hasV4)
        {
            Fail(jsonPath, $"give either '{v5Key}' or '{v4Key}', not both");
            return Array.Empty<int>();
        }
        if (hasV5) return ReadActions(v5, JsonPaths.Property(jsonPath, v5Key));
        if (hasV4) return ReadActions(v4, JsonPaths.Property(jsonPath, v4Key));
        return Array.Empty<int>();
    }

    private int[] ReadActions(JsonElement json, string path)
    {
        if (json.ValueKind == JsonValueKind.Null) return Array.Empty<int>();
        if (json.ValueKind != JsonValueKind.Array)
        {
            var single = ReadNamed(json, path, "action");
            return single is null ? Array.Empty<int>() : new[] { _actions.Intern(single, path) };
        }
        var result = new List<int>();
        var index = 0;
        foreach (var item in json.EnumerateArray())
        {
            var itemPath = JsonPaths.Item(path, index++);
            var name = ReadNamed(item, itemPath, "action");
            if (name is not null) result.Add(_actions.Intern(name, itemPath));
        }
        return result.ToArray();
    }

    /// <summary>An action or guard reference: a name, or an object <c>{ "type": name }</c>.</summary>
    private string? ReadNamed(JsonElement json, string path, string what)
    {
        string? name = null;
        if (json.ValueKind == JsonValueKind.String) name = json.GetString();
        else if (json.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in json.EnumerateObject())
            {
                if (property.Name != "type")
                    Fail(JsonPaths.Property(path, property.Name), $"{what} objects may only have 'type' (parameters are not supported)");
            }
            if (json.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String) name = type.GetString();
            else
            {
                Fail(path, $"an {what} object needs a string 'type'");
                return null;
            }
        }
        else
        {
            Fail(path, $"an {what} must be a name or an object with 'type', not {JsonValues.Describe(json.ValueKind)}");
            return null;
        }
        if (string.IsNullOrEmpty(name))
        {
            Fail(path, $"an {what} name must not be empty");
            return null;
        }
        return name;
    }

    private string? ReadOptionalString(JsonElement json, string key, string jsonPath)
    {
        if (!json.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0) return value.GetString();
        Fail(JsonPaths.Property(jsonPath, key), $"'{key}' must be a non-empty string");
        return null;
    }

    private bool ReadBool(JsonElement json, string path)
    {
        if (json.ValueKind is JsonValueKind.True or JsonValueKind.False) return json.GetBoolean();
        Fail(path, $"expected true or false, not {JsonValues.Describe(json.ValueKind)}");
        return false;
    }


    private static string Name(StateNode node) => node.Index == 0 ? "the machine" : $"'{node.Path}'";

    private static string ChildList(StateNode node) =>
        node.AllChildren.Count == 0 ? "none" : string.Join(", ", node.AllChildren.Select(c => c.Key));

    private void Fail(string path, string message) => _errors.Add(new StatechartDefinitionError(path, message));
}
