using XStateNet.Actors.TestKit;

namespace XStateNet.Actors.Samples.Pipeline.Tests;

/// <summary>
/// The TestKit's specs (three child processes each) run one at a time, but beside this assembly's other collections,
/// as the launcher-based kill specs did: the launcher's specs wait for their stages as the TestKit's roles wait for
/// theirs, nothing here measures time, and the suite's wall time is the sum of its phases otherwise.
/// </summary>
[CollectionDefinition(MultiNodeCollection.Name)]
public sealed class MultiNodeSpecs;
