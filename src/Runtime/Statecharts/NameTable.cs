namespace XStateNet.Actors.Statecharts;

/// <summary>Interns names (actions, guards, delays, events) to dense indices, remembering where each was first used.</summary>
internal sealed class NameTable
{
    private readonly Dictionary<string, int> _indices = new(StringComparer.Ordinal);
    private readonly List<string> _names = new();
    private readonly List<string> _firstUses = new();

    public int Count => _names.Count;
    public IReadOnlyList<string> Names => _names;
    public IReadOnlyList<string> FirstUses => _firstUses;
    public IReadOnlyDictionary<string, int> Indices => _indices;

    public bool TryGetIndex(string name, out int index) => _indices.TryGetValue(name, out index);

    public int Intern(string name, string usedAt)
    {
        if (_indices.TryGetValue(name, out var index)) return index;
        index = _names.Count;
        _indices.Add(name, index);
        _names.Add(name);
        _firstUses.Add(usedAt);
        return index;
    }
}
