namespace XStateNet.Actors.TestKit;

/// <summary>
/// The xunit collection of every multi-node spec: specs in it run one at a time, since each starts several
/// processes. To keep them from running beside other test collections too, declare in the test project
/// <c>[CollectionDefinition(MultiNodeCollection.Name, DisableParallelization = true)] public class MultiNodeSpecs;</c>
/// (xunit reads collection definitions from the test assembly only).
/// </summary>
public static class MultiNodeCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "xstatenet-multi-node";
}
