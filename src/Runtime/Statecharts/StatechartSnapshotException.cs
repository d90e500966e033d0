namespace XStateNet.Actors.Statecharts;

/// <summary>
/// Thrown when a snapshot cannot be taken (a context value or event payload JSON cannot carry) or cannot be
/// restored: malformed JSON, an unknown format version, or a chart that no longer matches it (another id, a
/// state that no longer exists, a changed structure). Every problem found is listed, each saying where.
/// </summary>
public sealed class StatechartSnapshotException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    /// <param name="what">What failed, e.g. "Cannot restore the statechart snapshot".</param>
    /// <param name="problems">Each problem, saying where it is.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public StatechartSnapshotException(string what, IReadOnlyList<string> problems, Exception? inner = null)
        : base(Describe(what, problems), inner)
    {
        Problems = problems;
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Describe(string what, IReadOnlyList<string> problems) =>
        problems.Count == 1
            ? $"{what}: {problems[0]}"
            : $"{what} ({problems.Count} problems):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems);
}
