namespace XStateNet.Actors.Statecharts;

/// <summary>
/// Thrown when a running statechart cannot make progress safely, such as eventless transitions that never
/// settle. The interpreter stays at the last consistent configuration.
/// </summary>
public sealed class StatechartRuntimeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StatechartRuntimeException(string message) : base(message) { }
}
