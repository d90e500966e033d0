namespace XStateNet.Actors.Sharding;

/// <summary>How a machine's persistence id is formed: <c>&lt;type&gt;|&lt;machine id&gt;</c>, so two types may share a journal.</summary>
public static class PersistenceIds
{
    /// <summary>The persistence id of machine <paramref name="machineId"/> of type <paramref name="typeName"/>.</summary>
    public static string Of(string typeName, string machineId)
    {
        ArgumentException.ThrowIfNullOrEmpty(typeName);
        ArgumentException.ThrowIfNullOrEmpty(machineId);
        return typeName + "|" + machineId;
    }
}
