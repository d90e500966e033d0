namespace XStateNet.Actors.MultiProcess.Tests.Machines;

/// <summary>
/// Checks that each sender's sequence numbers arrive as 1, 2, 3, … with nothing lost, repeated or reordered, and
/// mirrors the tallies into the machine's context (<c>received</c>, <c>outOfOrder</c>, <c>firstDisorder</c>) so a
/// spec reads them with <see cref="GetMachineSnapshot"/>.
/// </summary>
internal sealed class PerSenderOrder
{
    private readonly Dictionary<string, long> _lastBySender = new(StringComparer.Ordinal);

    public long Received { get; private set; }

    public long OutOfOrder { get; private set; }

    /// <summary>True when <paramref name="sequence"/> is the next one expected from <paramref name="sender"/>.</summary>
    public bool Accept(OrchestratedContext ctx, string sender, long sequence)
    {
        _lastBySender.TryGetValue(sender, out var last);
        _lastBySender[sender] = sequence;
        Received++;
        ctx.Context["received"] = Received;
        if (sequence == last + 1) return true;

        OutOfOrder++;
        ctx.Context["outOfOrder"] = OutOfOrder;
        if (OutOfOrder == 1) ctx.Context["firstDisorder"] = $"from {sender}: {sequence} after {last}";
        return false;
    }
}
