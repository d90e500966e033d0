namespace XStateNet.Actors.Statecharts;

/// <summary>
/// Thrown when a statechart cannot be built: malformed JSON, bad targets or ids, or action, guard or delay
/// names that were not supplied. Every problem found is listed at once, so one fix-and-retry round suffices.
/// </summary>
public sealed class StatechartDefinitionException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    public StatechartDefinitionException(IReadOnlyList<StatechartDefinitionError> errors, Exception? inner = null)
        : base(Describe(errors), inner)
    {
        Errors = errors;
    }

    /// <summary>Every problem found, in the order the definition was read.</summary>
    public IReadOnlyList<StatechartDefinitionError> Errors { get; }

    private static string Describe(IReadOnlyList<StatechartDefinitionError> errors) =>
        errors.Count == 1
            ? $"Invalid statechart: {errors[0]}"
            : $"Invalid statechart ({errors.Count} problems):{Environment.NewLine}  " +
              string.Join(Environment.NewLine + "  ", errors);
}
