using System.Text;
using XStateNet.Actors.Statecharts;

namespace XStateNet.Actors.Diagrams;

/// <summary>
/// Identifiers for a chart's states in a text diagram: the state's key when no other state has it (readable),
/// otherwise its path, made of letters, digits and underscores so no key can break the diagram's syntax.
/// </summary>
internal sealed class DiagramNames
{
    // Words Mermaid's state diagram grammar reserves; a state with such a key gets a prefix.
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "state", "note", "end", "direction", "class", "classDef", "style", "as", "hide", "click", "left", "right", "of", "over",
        "default", "TB", "BT", "LR", "RL", "stateDiagram", "stateDiagram-v2",
    };

    private readonly string[] _ids;

    public DiagramNames(Statechart chart)
    {
        var nodes = chart.Nodes;
        var keyCounts = nodes.GroupBy(n => n.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        _ids = new string[nodes.Length];
        foreach (var node in nodes)
        {
            var preferred = node.Index == 0 ? "root" : keyCounts[node.Key] == 1 ? node.Key : node.Path;
            var id = Sanitize(preferred);
            if (!used.Add(id))
            {
                id = $"{id}_{node.Index}";
                used.Add(id);
            }
            _ids[node.Index] = id;
        }
    }

    /// <summary>The diagram identifier of a state.</summary>
    public string this[StateNode node] => _ids[node.Index];

    private static string Sanitize(string text)
    {
        var id = new StringBuilder(text.Length + 2);
        foreach (var c in text) id.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        if (id.Length == 0 || char.IsAsciiDigit(id[0]) || Reserved.Contains(id.ToString())) id.Insert(0, "s_");
        return id.ToString();
    }
}
