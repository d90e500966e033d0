using XStateNet.Actors.TestKit;

namespace XStateNet.Actors.MultiProcess.Tests;

/// <summary>
/// Every spec of this assembly runs alone: each starts several processes on a two-core machine, and detection times
/// mean nothing when another spec's children compete for the cores.
/// </summary>
[CollectionDefinition(MultiNodeCollection.Name, DisableParallelization = true)]
public sealed class MultiNodeSpecs;
