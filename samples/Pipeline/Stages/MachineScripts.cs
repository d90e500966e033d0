namespace XStateNet.Actors.Samples.Pipeline.Stages;

/// <summary>The stages' statecharts, embedded from <c>machines/*.json</c>.</summary>
internal static class MachineScripts
{
    public static string For(StageRole role)
    {
        var name = $"machines/{Id(role)}.json";
        using var stream = typeof(MachineScripts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The statechart {name} is not embedded in the sample.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The machine id of a stage: also the actor's name and the key of its route.</summary>
    public static string Id(StageRole role) => role.ToString().ToLowerInvariant();
}
