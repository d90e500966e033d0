using System.Text.Json;

namespace XStateNet.Actors.Sharding;

/// <summary>
/// What a sharded machine stores, as one string: its <see cref="Statecharts.StatechartSnapshot"/> JSON, preceded,
/// once it has received events on acknowledged channels, by a header line and the last sequence number it applied
/// per channel (<see cref="AppliedSequences"/>). State and numbers are written together, in one journal event, so
/// after any crash a stored state includes an event exactly when the stored numbers say it was applied: a
/// redelivered event is then recognized and not applied a second time. A string that starts with <c>{</c> is a bare
/// snapshot (what machines stored before channels existed, or one that never received on a channel).
/// </summary>
internal static class StoredMachineState
{
    private const string Header = "xstatenet-applied/1\n";

    public static string Format(string snapshotJson, AppliedSequences applied) =>
        applied.Count == 0 ? snapshotJson : Header + JsonSerializer.Serialize(applied.ToDictionary()) + "\n" + snapshotJson;

    /// <exception cref="FormatException">The string has the header but not the numbers after it.</exception>
    public static string Parse(string stored, AppliedSequences applied)
    {
        if (!stored.StartsWith(Header, StringComparison.Ordinal)) return stored;
        var end = stored.IndexOf('\n', Header.Length);
        if (end < 0) throw new FormatException("a stored machine state has the applied-sequences header but no state after it");
        var numbers = JsonSerializer.Deserialize<Dictionary<string, long>>(stored.AsSpan(Header.Length, end - Header.Length))
                      ?? throw new FormatException("a stored machine state's applied sequence numbers are null");
        applied.Load(numbers);
        return stored[(end + 1)..];
    }
}
