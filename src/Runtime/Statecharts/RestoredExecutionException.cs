namespace XStateNet.Actors.Statecharts;

/// <summary>
/// Stands for the exception of an <c>error.execution</c> event that was still queued when a snapshot was taken:
/// exceptions are not serialized, so a restored <see cref="StatechartExecutionError"/> carries the original
/// exception's type name and message in this one.
/// </summary>
public sealed class RestoredExecutionException : Exception
{
    /// <summary>Creates the stand-in.</summary>
    public RestoredExecutionException(string originalType, string message) : base(message)
    {
        OriginalType = originalType;
    }

    /// <summary>The full type name of the exception that was thrown before the snapshot.</summary>
    public string OriginalType { get; }
}
