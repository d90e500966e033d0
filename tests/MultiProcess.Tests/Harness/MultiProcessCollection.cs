namespace XStateNet.Actors.MultiProcess.Tests.Harness;

/// <summary>
/// The multi-process specs run one at a time: each starts several processes on a two-core machine, and timing
/// figures (DeathWatch detection) mean nothing when another spec's children compete for the cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MultiProcessCollection : ICollectionFixture<SuiteLeftoverCheck>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "multi-process";
}

/// <summary>After the whole suite: no child process, pipe or segment of any of its runs is left.</summary>
public sealed class SuiteLeftoverCheck : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        var processes = ProcessRegistry.StillRunning();
        var files = RunRegistry.LeftoverFiles();
        if (processes.Count == 0 && files.Count == 0) return;
        throw new InvalidOperationException(
            $"After the multi-process suite: processes still running [{string.Join(", ", processes)}], files left [{string.Join(", ", files)}]");
    }
}
