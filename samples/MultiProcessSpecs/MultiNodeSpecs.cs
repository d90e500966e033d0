using XStateNet.Actors.TestKit;
using Xunit;

namespace MultiProcessSpecs;

/// <summary>
/// The multi-node specs run one at a time and beside no other collection: each starts several processes.
/// (xunit reads collection definitions from the test assembly only, so this line is the user's.)
/// </summary>
[CollectionDefinition(MultiNodeCollection.Name, DisableParallelization = true)]
public sealed class MultiNodeSpecs;
