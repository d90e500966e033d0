namespace XStateNet.Actors.Sharding;

/// <summary>
/// The last sequence number a machine applied on each acknowledged channel that sent to it (see
/// <see cref="AcknowledgedEvent"/>), stored with its state. Bounded: past <see cref="MaxChannels"/> the channel
/// used least recently is forgotten. A sender that still uses a forgotten channel then gets no acknowledgement
/// (its next number is not 1, so the machine cannot tell it from a gap), and after its give-up time an
/// <c>error.communication</c>, and starts a new channel: delayed, never applied twice, never silent.
/// </summary>
internal sealed class AppliedSequences
{
    public const int MaxChannels = 1024;

    private readonly Dictionary<string, Entry> _channels = new(StringComparer.Ordinal);
    private long _clock;

    public int Count => _channels.Count;

    /// <summary>The last number applied on <paramref name="channel"/>, 0 when none.</summary>
    public long Last(string channel) => _channels.TryGetValue(channel, out var entry) ? entry.Last : 0;

    public void Applied(string channel, long sequence)
    {
        _channels[channel] = new Entry(sequence, ++_clock);
        if (_channels.Count <= MaxChannels) return;
        var oldest = _channels.MinBy(pair => pair.Value.Used).Key;
        _channels.Remove(oldest);
    }

    public Dictionary<string, long> ToDictionary() => _channels.OrderBy(pair => pair.Value.Used).ToDictionary(pair => pair.Key, pair => pair.Value.Last, StringComparer.Ordinal);

    public void Load(IReadOnlyDictionary<string, long> numbers)
    {
        _channels.Clear();
        foreach (var (channel, last) in numbers) _channels[channel] = new Entry(last, ++_clock);
    }

    private readonly record struct Entry(long Last, long Used);
}
