using XStateNet.Actors.TestKit;

namespace XStateNet.Actors.Sharding.Tests.MultiProcess;

/// <summary>Multi-process specs run alone: each starts a cluster of child processes.</summary>
[CollectionDefinition(MultiNodeCollection.Name, DisableParallelization = true)]
public sealed class MultiNodeSpecs;
