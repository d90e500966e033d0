using XStateNet.Actors.TestKit;

namespace XStateNet.Actors.Samples.Pipeline.Tests;

/// <summary>
/// The TestKit's specs (three child processes each) run one at a time and beside no other test of this assembly:
/// the launcher's specs start three processes too, and two cores are all there is.
/// </summary>
[CollectionDefinition(MultiNodeCollection.Name, DisableParallelization = true)]
public sealed class MultiNodeSpecs;
