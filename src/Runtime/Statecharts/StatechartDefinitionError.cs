namespace XStateNet.Actors.Statecharts;

/// <summary>One problem found in a statechart definition, located by its JSON path.</summary>
/// <param name="JsonPath">Where the offender is, e.g. <c>$.states.idle.on.GO.target</c>.</param>
/// <param name="Message">What is wrong there.</param>
public sealed record StatechartDefinitionError(string JsonPath, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{JsonPath}: {Message}";
}
